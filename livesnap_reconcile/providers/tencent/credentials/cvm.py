"""The CVM instance role, from the metadata service at ``metadata.tencentyun.com``.

Owns: the role name (given, or the one ``/latest/meta-data/cam/security-credentials/`` lists) and
``/latest/meta-data/cam/security-credentials/<role>`` (``TmpSecretId``, ``TmpSecretKey``, ``Token``,
``ExpiredTime``, ``Code == "Success"``). The endpoint can be overridden with
``TENCENTCLOUD_CVM_METADATA_ENDPOINT`` (tests, the sandbox). A host without metadata answers fast:
the role-list call is tried once with a short timeout. Must not log or raise with a secret.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from livesnap_reconcile.errors import AuthError, NotFound, Unavailable
from livesnap_reconcile.providers.credential_source import Context, Refreshing, endpoint_url, guarded
from livesnap_reconcile.providers.credentials_common import Credentials, clean
from livesnap_reconcile.providers.tencent.errors import map_http_status

HOST = "metadata.tencentyun.com"
ROLES_PATH = "/latest/meta-data/cam/security-credentials/"


def metadata_endpoint(ctx: Context) -> str:
    return endpoint_url(ctx, override_vars=("TENCENTCLOUD_CVM_METADATA_ENDPOINT",), default=f"http://{HOST}")


def _text(action: str, provider: str):
    def parse(response: httpx.Response) -> dict[str, Any]:
        if response.status_code == 404:
            raise NotFound(f"{action}: no CAM role on this instance", provider=provider, status=404)
        if response.status_code != 200:
            raise map_http_status(response.status_code, response.text, provider=provider, action=action)
        return {"text": response.text}
    return parse


def cvm_role(ctx: Context, *, role_name: str | None = None) -> Refreshing:
    url = metadata_endpoint(ctx)
    fetcher = ctx.fetcher(timeout=2.0, max_attempts=3, plain_http_hosts=frozenset({HOST}))
    probe = ctx.fetcher(timeout=1.0, max_attempts=1, plain_http_hosts=frozenset({HOST}))  # not a CVM: fail fast
    state = {"role": clean(role_name)}

    def get(path: str, action: str, *, once: bool = False) -> str:
        return (probe if once else fetcher).call(action, lambda: httpx.Request("GET", url + path), _text(action, ctx.provider))["text"]

    def fetch() -> Credentials:
        if not state["role"]:
            names = [n for n in get(ROLES_PATH, "MetadataRoles", once=True).split() if n]
            if not names:
                raise NotFound("this instance has no CAM role bound", provider=ctx.provider)
            state["role"] = names[0]
            source.identity = names[0]  # for `livesnap providers`
        try:
            data = json.loads(get(ROLES_PATH + state["role"], "MetadataCredentials"))
        except ValueError:
            raise Unavailable("CVM metadata: credentials are not JSON", provider=ctx.provider, status=200) from None
        if not isinstance(data, dict):
            data = {}
        key_id, secret, token = (clean(data.get(k)) for k in ("TmpSecretId", "TmpSecretKey", "Token"))
        if data.get("Code") not in (None, "Success") or not (key_id and secret and token):
            raise AuthError(f"provider {ctx.provider!r} (tencent): CVM metadata gave no credentials for role "
                            f"{state['role']!r}", provider=ctx.provider)
        try:
            expires: float | None = float(data.get("ExpiredTime"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            expires = None
        return Credentials(key_id, secret, token, source="cvm_role", expires_at=expires)

    what = f"the CVM instance role {clean(role_name) or '(from metadata)'}"
    source = Refreshing(guarded(fetch, provider=ctx.provider, vendor="tencent", what=what), kind="cvm_role",
                        identity=clean(role_name), provider=ctx.provider, clock=ctx.now)
    return source
