"""Builders for the official SDK clients pointed at a loopback sandbox server."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from alibabacloud_ice20201109.client import Client as IceClient
from alibabacloud_tea_openapi import models as open_api_models
from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.live.v20180801 import live_client

from livesnap_reconcile.emulator import SANDBOX_KEYS, Emulator, serve


@contextlib.contextmanager
def served(**kwargs: Any) -> Iterator[tuple[Emulator, str]]:
    emu = Emulator(**kwargs)
    server = serve(emu)
    try:
        yield emu, server.endpoint
    finally:
        server.shutdown()


def tencent_client(endpoint: str, *, key: tuple[str, str] | None = None, method: str = "POST") -> live_client.LiveClient:
    secret_id, secret_key = key or SANDBOX_KEYS["tencent"]
    profile = ClientProfile(httpProfile=HttpProfile(endpoint=endpoint, protocol="http", reqMethod=method))
    return live_client.LiveClient(credential.Credential(secret_id, secret_key), "ap-guangzhou", profile)


def ice_client(endpoint: str, *, key: tuple[str, str] | None = None) -> IceClient:
    key_id, secret = key or SANDBOX_KEYS["alibaba"]
    return IceClient(open_api_models.Config(access_key_id=key_id, access_key_secret=secret, endpoint=endpoint,
                                            protocol="http", region_id="cn-shanghai"))
