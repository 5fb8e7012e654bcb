"""Builds the Tencent Live provider: TC3 signer, paced and retried caller, Live client. Called by `make_provider`."""

from __future__ import annotations

from livesnap_reconcile.providers.base import Provider
from livesnap_reconcile.providers.build import Wiring
from livesnap_reconcile.providers.tencent.auth import Tc3Auth
from livesnap_reconcile.providers.tencent.client import LiveClient
from livesnap_reconcile.providers.tencent.provider import TencentProvider


def build(wiring: Wiring) -> Provider:
    caller = wiring.caller(Tc3Auth(wiring.credentials, clock=wiring.clock))
    client = LiveClient(caller=caller, endpoint=wiring.url, provider=wiring.config.name, region=wiring.config.region,
                        site=wiring.config.site)
    return TencentProvider(name=wiring.config.name, client=client, clock=wiring.now)
