"""Documented STS and metadata answers: our clients read them, and the sandbox answers in the same shape.

The examples are the vendors' documented responses (values shortened as the docs mask them). For
each: the credential source built from a chain reads the example into key, token and expiry; the
sandbox's answer to the same request has the same keys, recursively (the contract, as for the
snapshot cassettes).
"""

from __future__ import annotations

import json

import httpx
import pytest

from livesnap_reconcile.emulator import SANDBOX_KEYS, Emulator
from livesnap_reconcile.emulator.identity import ROLES
from livesnap_reconcile.providers.alibaba.credentials import chain as ali_chain
from livesnap_reconcile.providers.credential_source import Context, parse_expiry
from livesnap_reconcile.providers.tencent.credentials import chain as tc_chain

ALI_ASSUME_ROLE = {
    "RequestId": "6894B13B-6D71-4EF5-88FA-F32781734A7F",
    "AssumedRoleUser": {"Arn": "acs:ram::123456789012****:role/adminrole/alice",
                        "AssumedRoleId": "34458433936495****:alice"},
    "Credentials": {"SecurityToken": "********", "AccessKeyId": "STS.L4aBSCSJVMuKg5U1****",
                    "AccessKeySecret": "wyLTSmsyPGP1ohvvw8xYgB29dlGI8KMiH2pK****", "Expiration": "2015-04-09T11:52:19Z"},
}
ALI_ECS = {"AccessKeyId": "STS.*******6YSE", "AccessKeySecret": "aj7rK1***", "Expiration": "2017-11-01T05:20:01Z",
           "SecurityToken": "CAIS***", "LastUpdated": "2017-10-31T23:20:01Z", "Code": "Success"}
TC_ASSUME_ROLE = {"Response": {
    "ExpiredTime": 1543914376, "Expiration": "2018-12-04T09:06:16Z",
    "Credentials": {"Token": "1siMD5r0tPAq9xpR******6a1ad76f09a0069002923def8aFw7tUMd2nH",
                    "TmpSecretId": "AKID65zyIP0mp****qt2SlWIQVMn1umNH58", "TmpSecretKey": "q95K84wrzuE****y39zg52boxvp71yoh"},
    "RequestId": "f6e7cbcb-add1-47bd-9097-d08cf8f3a919"}}
TC_CVM = {"TmpSecretId": "AKIDm****", "TmpSecretKey": "LWxZ****", "ExpiredTime": 1615590047,
          "Expiration": "2021-03-12T23:00:47Z", "Token": "4aN6****", "Code": "Success"}

ALI_ENV = {"ALIBABA_CLOUD_ACCESS_KEY_ID": SANDBOX_KEYS["alibaba"][0],
           "ALIBABA_CLOUD_ACCESS_KEY_SECRET": SANDBOX_KEYS["alibaba"][1], "ALIBABA_CLOUD_ROLE_ARN": ROLES["alibaba"][0]}
TC_ENV = {"TENCENTCLOUD_SECRET_ID": SANDBOX_KEYS["tencent"][0], "TENCENTCLOUD_SECRET_KEY": SANDBOX_KEYS["tencent"][1],
          "TENCENTCLOUD_ROLE_ARN": ROLES["tencent"][0]}


def shape(value):
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items() if k not in ("RequestId",)}
    return type(value).__name__


def recorded(emu: Emulator, seen: list[dict]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        response = emu.handle(request)
        if request.url.path.rstrip("/").endswith(("livesnap-ecs", "livesnap-cvm")) or \
                (request.headers.get("x-acs-action") or request.headers.get("x-tc-action")) == "AssumeRole":
            seen.append(json.loads(response.content))
        return response
    return httpx.MockTransport(handler)


def documented(example: dict, metadata_role: str | None = None) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/latest/api/token":
            return httpx.Response(200, text="metadata-token")
        if path.endswith("/security-credentials/"):
            return httpx.Response(200, text=metadata_role or "")
        return httpx.Response(200, json=example)
    return httpx.MockTransport(handler)


def ctx(tmp_path, env, transport):
    return Context(provider="p", env=env, home=tmp_path, transport=transport, endpoint="http://sandbox.localhost")


@pytest.mark.parametrize(("vendor", "example", "env", "role"), [
    ("alibaba", ALI_ASSUME_ROLE, ALI_ENV, None),
    ("alibaba", ALI_ECS, {}, "livesnap-ecs"),
    ("tencent", TC_ASSUME_ROLE, TC_ENV, None),
    ("tencent", TC_CVM, {}, "livesnap-cvm"),
])
def test_documented_answers_are_read_and_the_sandbox_answers_alike(tmp_path, vendor, example, env, role):
    chain = ali_chain if vendor == "alibaba" else tc_chain
    creds = chain(ctx(tmp_path, env, documented(example, role)), None).get()
    body = example.get("Response", example)
    inner = body.get("Credentials", body)
    assert creds.token in (inner.get("SecurityToken"), inner.get("Token"))
    assert creds.expires_at in (parse_expiry(inner.get("Expiration")), body.get("ExpiredTime"))
    seen: list[dict] = []
    chain(ctx(tmp_path, env, recorded(Emulator(), seen)), None).get()
    assert shape(seen[-1]) == shape(example)
