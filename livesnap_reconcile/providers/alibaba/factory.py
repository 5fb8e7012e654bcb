"""Builds the ICE provider: ACS3 signer, paced and retried caller, ICE client. Called by `make_provider`."""

from __future__ import annotations

from livesnap_reconcile.providers.alibaba.auth import Acs3Auth
from livesnap_reconcile.providers.alibaba.client import IceClient
from livesnap_reconcile.providers.alibaba.provider import AlibabaProvider
from livesnap_reconcile.providers.base import Provider
from livesnap_reconcile.providers.build import Wiring


def build(wiring: Wiring) -> Provider:
    caller = wiring.caller(Acs3Auth(wiring.credentials, clock=wiring.clock))
    client = IceClient(caller=caller, endpoint=wiring.url, provider=wiring.config.name)
    return AlibabaProvider(name=wiring.config.name, client=client, clock=wiring.now)
