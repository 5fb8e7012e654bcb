"""STS of both vendors in the sandbox: ``AssumeRole``, ``AssumeRoleWithOIDC`` (Alibaba 2015-04-01)
and ``AssumeRole``, ``AssumeRoleWithWebIdentity`` (Tencent 2018-08-13).

Owns: the actions' parameters and answers in each vendor's shape. Signatures are checked by the
caller (`core`) exactly as for the snapshot APIs; the OIDC actions are anonymous, as the vendors
document, and are judged by their token instead. Roles and keys come from `identity`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from livesnap_reconcile.emulator.identity import ACCOUNT, Identity, TempKey
from livesnap_reconcile.emulator.wire import ICE_TIME, ApiError

ALIBABA_VERSION = "2015-04-01"
TENCENT_VERSION = "2018-08-13"
ALIBABA_ACTIONS = ("AssumeRole", "AssumeRoleWithOIDC", "GetCallerIdentity")
TENCENT_ACTIONS = ("AssumeRole", "AssumeRoleWithWebIdentity", "GetCallerIdentity")
ANONYMOUS = {"AssumeRoleWithOIDC", "AssumeRoleWithWebIdentity"}


def _required(params: Mapping[str, Any], *names: str) -> None:
    for name in names:
        if not str(params.get(name) or "").strip():
            raise ApiError("MissingParameter" if name != "RoleSessionName" else "MissingRoleSessionName",
                           f"The parameter {name} is required.")


def _iso(epoch: float) -> str:
    return time.strftime(ICE_TIME, time.gmtime(epoch))


def caller(vendor: str, key: TempKey | None, key_id: str) -> dict[str, Any]:
    """GetCallerIdentity: the assumed role and session for temporary keys, else the sandbox user."""
    account = ACCOUNT[vendor]
    if vendor == "alibaba":
        if key is None:
            return {"AccountId": account, "IdentityType": "RAMUser", "UserId": "2000000000000001",
                    "Arn": f"acs:ram::{account}:user/livesnap-sandbox", "PrincipalId": "2000000000000001"}
        role = key.role_arn.rsplit("/", 1)[-1]
        return {"AccountId": account, "IdentityType": "AssumedRoleUser", "RoleId": "300000000000000001",
                "Arn": f"acs:ram::{account}:assumed-role/{role}/{key.session}", "PrincipalId": f"300000000000000001:{key.session}"}
    if key is None:
        return {"AccountId": account, "Type": "CAMUser", "UserId": "100000000002", "PrincipalId": "100000000002",
                "Arn": f"qcs::cam::uin/{account}:uin/100000000002"}
    role = key.role_arn.rsplit("/", 1)[-1]
    return {"AccountId": account, "Type": "CAMRole", "UserId": f"{role}:{key.session}", "PrincipalId": account,
            "Arn": f"qcs::sts:{account}:assumed-role/4611686018427397919/{key.session}"}


def alibaba(identity: Identity, action: str, params: Mapping[str, Any]) -> dict[str, Any]:
    _required(params, "RoleArn", "RoleSessionName")
    role, session = str(params["RoleArn"]), str(params["RoleSessionName"])
    extra: dict[str, Any] = {}
    if action == "AssumeRoleWithOIDC":
        _required(params, "OIDCProviderArn", "OIDCToken")
        claims = identity.check_oidc("alibaba", str(params["OIDCProviderArn"]), str(params["OIDCToken"]))
        extra["OIDCTokenInfo"] = {"Subject": claims.get("sub"), "Issuer": claims.get("iss"),
                                  "ClientIds": str(claims.get("aud"))}
    identity.assume("alibaba", role)
    key = identity.issue("alibaba", role, session, params.get("DurationSeconds"))
    return {"AssumedRoleUser": {"Arn": f"{role}/{session}", "AssumedRoleId": f"{abs(hash(role)) % 10**18}:{session}"},
            "Credentials": _alibaba_credentials(key), **extra}


def _alibaba_credentials(key: TempKey) -> dict[str, str]:
    return {"AccessKeyId": key.key_id, "AccessKeySecret": key.secret, "SecurityToken": key.token,
            "Expiration": _iso(key.expires_at)}


def tencent(identity: Identity, action: str, params: Mapping[str, Any]) -> dict[str, Any]:
    _required(params, "RoleArn", "RoleSessionName")
    role, session = str(params["RoleArn"]), str(params["RoleSessionName"])
    if action == "AssumeRoleWithWebIdentity":
        _required(params, "ProviderId", "WebIdentityToken")
        identity.check_oidc("tencent", str(params["ProviderId"]), str(params["WebIdentityToken"]))
    identity.assume("tencent", role)
    key = identity.issue("tencent", role, session, params.get("DurationSeconds"))
    return {"Credentials": {"Token": key.token, "TmpSecretId": key.key_id, "TmpSecretKey": key.secret},
            "ExpiredTime": int(key.expires_at), "Expiration": _iso(key.expires_at)}


def alibaba_metadata_credentials(key: TempKey, *, now: float) -> dict[str, str]:
    return {**_alibaba_credentials(key), "LastUpdated": _iso(now), "Code": "Success"}


def tencent_metadata_credentials(key: TempKey, *, now: float) -> dict[str, Any]:
    return {"TmpSecretId": key.key_id, "TmpSecretKey": key.secret, "Token": key.token,
            "ExpiredTime": int(key.expires_at), "Expiration": _iso(key.expires_at), "Code": "Success"}
