"""Alibaba Cloud STS (2015-04-01): ``AssumeRole`` (signed with base keys) and ``AssumeRoleWithOIDC``.

Owns: the STS endpoint (``ALIBABA_CLOUD_STS_ENDPOINT``, else ``sts.<ALIBABA_CLOUD_STS_REGION>.aliyuncs.com``,
else ``sts.aliyuncs.com``; the sandbox's loopback endpoint when the provider points there), the two
requests (ACS3-signed form POST; the OIDC one anonymous, as the vendor documents), and reading
``Credentials{AccessKeyId, AccessKeySecret, SecurityToken, Expiration}`` into a `Refreshing` source.
The OIDC token file is read again on every refresh (Kubernetes and CI rotate it). Must not log or
raise with a secret, a session token or the OIDC token.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import httpx

from livesnap_reconcile.errors import AuthError, Unavailable
from livesnap_reconcile.providers.alibaba.auth import Acs3Auth
from livesnap_reconcile.providers.alibaba.errors import map_error
from livesnap_reconcile.providers.credential_source import (
    Context,
    CredentialSource,
    Refreshing,
    endpoint_url,
    guarded,
    parse_expiry,
)
from livesnap_reconcile.providers.credentials_common import Credentials, clean, read_token_file

VERSION = "2015-04-01"
DEFAULT_DURATION = 3600


def sts_endpoint(ctx: Context) -> str:
    region = clean(ctx.env.get("ALIBABA_CLOUD_STS_REGION"))
    default = f"https://sts.{region}.aliyuncs.com" if region else "https://sts.aliyuncs.com"
    return endpoint_url(ctx, override_vars=("ALIBABA_CLOUD_STS_ENDPOINT",), default=default)


def session_name(ctx: Context, given: str | None = None) -> str:
    return clean(given) or clean(ctx.env.get("ALIBABA_CLOUD_ROLE_SESSION_NAME")) or f"livesnap-{int(ctx.clock())}"


def _request(url: str, action: str, params: dict[str, Any]) -> httpx.Request:
    headers = {"x-acs-action": action, "x-acs-version": VERSION, "accept": "application/json",
               "content-type": "application/x-www-form-urlencoded"}
    body = urlencode(sorted((k, str(v)) for k, v in params.items() if v not in (None, ""))).encode("utf-8")
    return httpx.Request("POST", url + "/", content=body, headers=headers)


def _parse(action: str, provider: str) -> Callable[[httpx.Response], dict[str, Any]]:
    def parse(response: httpx.Response) -> dict[str, Any]:
        if response.status_code >= 300:
            raise map_error(response, provider=provider, action=action)
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("Credentials"), dict):
            raise Unavailable(f"{action}: response has no Credentials", provider=provider,
                              status=response.status_code)
        return data
    return parse


def _credentials(data: dict[str, Any], *, source: str, provider: str) -> Credentials:
    c = data["Credentials"]
    key_id, secret, token = clean(c.get("AccessKeyId")), clean(c.get("AccessKeySecret")), clean(c.get("SecurityToken"))
    if not (key_id and secret and token):
        raise AuthError(f"provider {provider!r} (alibaba): {source} returned incomplete credentials",
                        provider=provider)
    return Credentials(key_id, secret, token, source=source, expires_at=parse_expiry(c.get("Expiration")))


def assume_role(ctx: Context, base: CredentialSource, *, role_arn: str, name: str | None = None,
                duration: int | None = None, external_id: str | None = None, policy: str | None = None,
                kind: str = "ram_role_arn") -> Refreshing:
    """Temporary credentials of ``role_arn``, requested with the ``base`` source's keys."""
    url = sts_endpoint(ctx)
    fetcher = ctx.fetcher(auth=Acs3Auth(base, clock=ctx.clock))
    params = {"RoleArn": role_arn, "RoleSessionName": session_name(ctx, name),
              "DurationSeconds": duration or DEFAULT_DURATION, "ExternalId": external_id, "Policy": policy}

    def fetch() -> Credentials:
        data = fetcher.call("AssumeRole", lambda: _request(url, "AssumeRole", params),
                            _parse("AssumeRole", ctx.provider))
        return _credentials(data, source=kind, provider=ctx.provider)

    what = f"assuming role {role_arn} (STS AssumeRole as {base.kind})"
    return Refreshing(guarded(fetch, provider=ctx.provider, vendor="alibaba", what=what), kind=kind,
                      identity=role_arn, provider=ctx.provider, clock=ctx.now)


def assume_role_with_oidc(ctx: Context, *, role_arn: str, provider_arn: str, token_file: str,
                          name: str | None = None, duration: int | None = None, policy: str | None = None,
                          kind: str = "oidc_role_arn") -> Refreshing:
    """Temporary credentials of ``role_arn`` for the OIDC token in ``token_file`` (RRSA, CI)."""
    url = sts_endpoint(ctx)
    fetcher = ctx.fetcher()
    session = session_name(ctx, name)

    def fetch() -> Credentials:
        token = read_token_file(token_file, provider=ctx.provider, vendor="alibaba", what="OIDC token")
        params = {"RoleArn": role_arn, "OIDCProviderArn": provider_arn, "OIDCToken": token,
                  "RoleSessionName": session, "DurationSeconds": duration or DEFAULT_DURATION, "Policy": policy}
        data = fetcher.call("AssumeRoleWithOIDC", lambda: _request(url, "AssumeRoleWithOIDC", params),
                            _parse("AssumeRoleWithOIDC", ctx.provider))
        return _credentials(data, source=kind, provider=ctx.provider)

    what = f"assuming role {role_arn} with OIDC provider {provider_arn} (STS AssumeRoleWithOIDC)"
    return Refreshing(guarded(fetch, provider=ctx.provider, vendor="alibaba", what=what), kind=kind,
                      identity=role_arn, provider=ctx.provider, clock=ctx.now)
