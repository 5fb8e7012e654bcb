"""Tencent Cloud STS (2018-08-13): ``AssumeRole`` (TC3-signed, service ``sts``) and
``AssumeRoleWithWebIdentity`` (OIDC, unsigned: ``Authorization: SKIP``).

Owns: the STS endpoint (``TENCENTCLOUD_STS_ENDPOINT``, else ``sts.tencentcloudapi.com``; the sandbox's
loopback endpoint when the provider points there), the region header, and reading
``Credentials{TmpSecretId, TmpSecretKey, Token}`` + ``ExpiredTime`` into a `Refreshing` source.
The web identity token file is read again on every refresh. Must not log or raise with a secret,
a session token or the OIDC token.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from livesnap_reconcile.errors import AuthError, Unavailable
from livesnap_reconcile.providers.credential_source import (
    Context,
    CredentialSource,
    Refreshing,
    endpoint_url,
    guarded,
)
from livesnap_reconcile.providers.credentials_common import Credentials, clean, read_token_file
from livesnap_reconcile.providers.tencent.auth import Tc3Auth
from livesnap_reconcile.providers.tencent.errors import map_error, map_http_status

VERSION = "2018-08-13"
DEFAULT_DURATION = 3600
DEFAULT_REGION = "ap-guangzhou"


def sts_endpoint(ctx: Context) -> str:
    return endpoint_url(ctx, override_vars=("TENCENTCLOUD_STS_ENDPOINT",), default="https://sts.tencentcloudapi.com")


def session_name(ctx: Context, given: str | None = None) -> str:
    return clean(given) or clean(ctx.env.get("TENCENTCLOUD_ROLE_SESSION_NAME")) or f"livesnap-{int(ctx.clock())}"


def request(url: str, action: str, params: dict[str, Any], *, region: str, clock: Callable[[], float],
             signed: bool) -> httpx.Request:
    headers = {"Content-Type": "application/json", "X-TC-Action": action, "X-TC-Version": VERSION,
               "X-TC-Region": region, "X-TC-Language": "en-US"}
    if not signed:
        headers.update({"Authorization": "SKIP", "X-TC-Timestamp": str(int(clock()))})
    return httpx.Request("POST", url + "/", content=json.dumps(params).encode("utf-8"), headers=headers)


def parse_answer(action: str, provider: str, *, needs: str = "Credentials") -> Callable[[httpx.Response], dict[str, Any]]:
    def parse(response: httpx.Response) -> dict[str, Any]:
        if response.status_code != 200:
            raise map_http_status(response.status_code, response.text, provider=provider, action=action)
        try:
            data = response.json()
        except ValueError:
            data = None
        body = data.get("Response") if isinstance(data, dict) else None
        if not isinstance(body, dict):
            raise Unavailable(f"{action}: response has no Response object", provider=provider, status=200)
        error = body.get("Error")
        if isinstance(error, dict):
            raise map_error(str(error.get("Code") or ""), str(error.get("Message") or ""),
                            str(body.get("RequestId") or ""), provider=provider, action=action)
        if not body.get(needs):
            raise Unavailable(f"{action}: response has no {needs}", provider=provider, status=200)
        return body
    return parse


def credentials_from(body: dict[str, Any], *, source: str, provider: str) -> Credentials:
    c = body["Credentials"]
    key_id, secret, token = clean(c.get("TmpSecretId")), clean(c.get("TmpSecretKey")), clean(c.get("Token"))
    if not (key_id and secret and token):
        raise AuthError(f"provider {provider!r} (tencent): {source} returned incomplete credentials", provider=provider)
    try:
        expires = float(body.get("ExpiredTime"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        expires = None  # type: ignore[assignment]
    return Credentials(key_id, secret, token, source=source, expires_at=expires)


def assume_role(ctx: Context, base: CredentialSource, *, role_arn: str, region: str = DEFAULT_REGION,
                name: str | None = None, duration: int | None = None, kind: str = "assume_role") -> Refreshing:
    url = sts_endpoint(ctx)
    fetcher = ctx.fetcher(auth=Tc3Auth(base, service="sts", clock=ctx.clock))
    params = {"RoleArn": role_arn, "RoleSessionName": session_name(ctx, name),
              "DurationSeconds": duration or DEFAULT_DURATION}

    def fetch() -> Credentials:
        body = fetcher.call("AssumeRole", lambda: request(url, "AssumeRole", params, region=region, clock=ctx.clock,
                                                           signed=True), parse_answer("AssumeRole", ctx.provider))
        return credentials_from(body, source=kind, provider=ctx.provider)

    what = f"assuming role {role_arn} (STS AssumeRole as {base.kind})"
    return Refreshing(guarded(fetch, provider=ctx.provider, vendor="tencent", what=what), kind=kind,
                      identity=role_arn, provider=ctx.provider, clock=ctx.now)


def assume_role_with_web_identity(ctx: Context, *, role_arn: str, provider_id: str, token_file: str,
                                  region: str, name: str | None = None, duration: int | None = None,
                                  kind: str = "oidc_role_arn") -> Refreshing:
    url = sts_endpoint(ctx)
    fetcher = ctx.fetcher()
    session = session_name(ctx, name)

    def fetch() -> Credentials:
        token = read_token_file(token_file, provider=ctx.provider, vendor="tencent", what="web identity token")
        params = {"ProviderId": provider_id, "WebIdentityToken": token, "RoleArn": role_arn,
                  "RoleSessionName": session, "DurationSeconds": duration or DEFAULT_DURATION}
        body = fetcher.call("AssumeRoleWithWebIdentity",
                            lambda: request(url, "AssumeRoleWithWebIdentity", params, region=region,
                                             clock=ctx.clock, signed=False),
                            parse_answer("AssumeRoleWithWebIdentity", ctx.provider))
        return credentials_from(body, source=kind, provider=ctx.provider)

    what = f"assuming role {role_arn} with OIDC provider {provider_id} (STS AssumeRoleWithWebIdentity)"
    return Refreshing(guarded(fetch, provider=ctx.provider, vendor="tencent", what=what), kind=kind,
                      identity=role_arn, provider=ctx.provider, clock=ctx.now)
