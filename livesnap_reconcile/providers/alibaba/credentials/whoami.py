"""Who Alibaba Cloud says the credentials are: STS ``GetCallerIdentity`` (one signed call, no side effect).

Owns the call and reading ``Arn`` from its answer, for `livesnap providers`. Must not log or raise
with a secret.
"""

from __future__ import annotations

from typing import Any

import httpx

from livesnap_reconcile.errors import Unavailable
from livesnap_reconcile.providers.alibaba.auth import Acs3Auth
from livesnap_reconcile.providers.alibaba.credentials.sts import VERSION, sts_endpoint
from livesnap_reconcile.providers.alibaba.errors import map_error
from livesnap_reconcile.providers.credential_source import Context, CredentialSource


def caller_identity(ctx: Context, source: CredentialSource) -> str:
    url = sts_endpoint(ctx)
    fetcher = ctx.fetcher(auth=Acs3Auth(source, clock=ctx.clock), max_attempts=2)

    def build() -> httpx.Request:
        return httpx.Request("POST", url + "/", content=b"", headers={
            "x-acs-action": "GetCallerIdentity", "x-acs-version": VERSION, "accept": "application/json",
            "content-type": "application/x-www-form-urlencoded"})

    def parse(response: httpx.Response) -> dict[str, Any]:
        if response.status_code >= 300:
            raise map_error(response, provider=ctx.provider, action="GetCallerIdentity")
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict) or not data.get("Arn"):
            raise Unavailable("GetCallerIdentity: no Arn in the answer", provider=ctx.provider, status=200)
        return data

    return str(fetcher.call("GetCallerIdentity", build, parse)["Arn"])
