"""The ECS instance RAM role, from the instance metadata service at ``100.100.100.200``.

Owns: the metadata session token (``PUT /latest/api/token`` with a TTL header, then sent as
``X-aliyun-ecs-metadata-token``; without one only when ``ALIBABA_CLOUD_IMDSV1_DISABLED`` is not
``true``), the role name (``ALIBABA_CLOUD_ECS_METADATA``, the profile's ``ram_role_name``, or the
one the service lists), and ``/latest/meta-data/ram/security-credentials/<role>``. The endpoint can
be overridden with ``ALIBABA_CLOUD_ECS_METADATA_ENDPOINT`` (tests, the sandbox). A host without
metadata fails fast: token and role list are asked once, with a short timeout. Must not log or raise with a secret.
"""

from __future__ import annotations

from typing import Any

import httpx

from livesnap_reconcile.errors import AuthError, NotFound, ProviderError, Unavailable
from livesnap_reconcile.providers.alibaba.errors import map_error
from livesnap_reconcile.providers.credential_source import (
    Context,
    Refreshing,
    endpoint_url,
    guarded,
    parse_expiry,
)
from livesnap_reconcile.providers.credentials_common import Credentials, clean

HOST = "100.100.100.200"
TOKEN_TTL = "21600"
ROLES_PATH = "/latest/meta-data/ram/security-credentials/"


def metadata_endpoint(ctx: Context) -> str:
    return endpoint_url(ctx, override_vars=("ALIBABA_CLOUD_ECS_METADATA_ENDPOINT",), default=f"http://{HOST}")


def _raw(action: str, provider: str):
    def parse(response: httpx.Response) -> dict[str, Any]:
        if response.status_code >= 300:
            raise map_error(response, provider=provider, action=action)
        return {"text": response.text}
    return parse


def ecs_role(ctx: Context, *, role_name: str | None = None) -> Refreshing:
    url = metadata_endpoint(ctx)
    fetcher = ctx.fetcher(timeout=2.0, max_attempts=3, plain_http_hosts=frozenset({HOST}))
    probe = ctx.fetcher(timeout=1.0, max_attempts=1, plain_http_hosts=frozenset({HOST}))  # not an ECS host: fail fast
    v1_disabled = clean(ctx.env.get("ALIBABA_CLOUD_IMDSV1_DISABLED")).lower() == "true"
    state: dict[str, str] = {"role": clean(role_name)}

    def headers() -> dict[str, str]:
        try:
            token = probe.call("MetadataToken", lambda: httpx.Request(
                "PUT", url + "/latest/api/token",
                headers={"X-aliyun-ecs-metadata-token-ttl-seconds": TOKEN_TTL}), _raw("MetadataToken", ctx.provider))
        except ProviderError:
            if v1_disabled:
                raise
            return {}
        return {"X-aliyun-ecs-metadata-token": token["text"].strip()}

    def get(path: str, hdrs: dict[str, str], action: str, *, once: bool = False) -> str:
        return (probe if once else fetcher).call(action, lambda: httpx.Request("GET", url + path, headers=hdrs),
                            _raw(action, ctx.provider))["text"]

    def fetch() -> Credentials:
        hdrs = headers()
        if not state["role"]:
            names = [n for n in get(ROLES_PATH, hdrs, "MetadataRoles", once=True).split() if n]
            if not names:
                raise NotFound("this instance has no RAM role attached", provider=ctx.provider)
            state["role"] = names[0]
            source.identity = names[0]  # for `livesnap providers`
        data = _json(get(ROLES_PATH + state["role"], hdrs, "MetadataCredentials"), ctx.provider)
        key_id, secret, token = (clean(data.get(k)) for k in ("AccessKeyId", "AccessKeySecret", "SecurityToken"))
        if data.get("Code") not in (None, "Success") or not (key_id and secret and token):
            raise AuthError(f"provider {ctx.provider!r} (alibaba): ECS metadata gave no credentials for role "
                            f"{state['role']!r}", provider=ctx.provider)
        return Credentials(key_id, secret, token, source="ecs_ram_role", expires_at=parse_expiry(data.get("Expiration")))

    what = f"the ECS instance RAM role {clean(role_name) or '(from metadata)'}"
    source = Refreshing(guarded(fetch, provider=ctx.provider, vendor="alibaba", what=what), kind="ecs_ram_role",
                        identity=clean(role_name), provider=ctx.provider, clock=ctx.now)
    return source


def _json(text: str, provider: str) -> dict[str, Any]:
    import json

    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise Unavailable("ECS metadata: credentials are not a JSON object", provider=provider, status=200)
    return data
