"""Credentials served at a URL: ``ALIBABA_CLOUD_CREDENTIALS_URI`` (a sidecar or credential broker).

Owns GET on that URL and reading ``{Code: "Success", AccessKeyId, AccessKeySecret, SecurityToken,
Expiration}``, the last source of the official default chain. https, or http to loopback only.
Must not log or raise with a secret.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from livesnap_reconcile.errors import AuthError
from livesnap_reconcile.providers.alibaba.errors import map_error
from livesnap_reconcile.providers.credential_source import Context, Refreshing, guarded, parse_expiry
from livesnap_reconcile.providers.credentials_common import Credentials, clean
from livesnap_reconcile.providers.http import check_endpoint

ENV_URI = "ALIBABA_CLOUD_CREDENTIALS_URI"


def credentials_uri(ctx: Context, uri: str) -> Refreshing:
    url = check_endpoint(uri, provider=ctx.provider)
    fetcher = ctx.fetcher()

    def parse(response: httpx.Response) -> dict[str, Any]:
        if response.status_code >= 300:
            raise map_error(response, provider=ctx.provider, action="CredentialsURI")
        try:
            data = json.loads(response.content)
        except ValueError:
            data = None
        return data if isinstance(data, dict) else {}

    def fetch() -> Credentials:
        data = fetcher.call("CredentialsURI", lambda: httpx.Request("GET", url), parse)
        key_id, secret, token = (clean(data.get(k)) for k in ("AccessKeyId", "AccessKeySecret", "SecurityToken"))
        if data.get("Code") != "Success" or not (key_id and secret and token):
            raise AuthError(f"provider {ctx.provider!r} (alibaba): {ENV_URI} gave no credentials", provider=ctx.provider)
        return Credentials(key_id, secret, token, source="credentials_uri", expires_at=parse_expiry(data.get("Expiration")))

    return Refreshing(guarded(fetch, provider=ctx.provider, vendor="alibaba", what=f"the credentials URI {url}"),
                      kind="credentials_uri", identity=url, provider=ctx.provider, clock=ctx.now)
