"""Who Tencent Cloud says the credentials are: STS ``GetCallerIdentity`` (one signed call, no side effect).

Owns the call and reading ``Arn`` from its answer, for `livesnap providers`. Must not log or raise
with a secret.
"""

from __future__ import annotations

from livesnap_reconcile.providers.credential_source import Context, CredentialSource
from livesnap_reconcile.providers.credentials_common import clean
from livesnap_reconcile.providers.tencent.auth import Tc3Auth
from livesnap_reconcile.providers.tencent.credentials.sts import (
    DEFAULT_REGION,
    parse_answer,
    request,
    sts_endpoint,
)


def caller_identity(ctx: Context, source: CredentialSource) -> str:
    url = sts_endpoint(ctx)
    fetcher = ctx.fetcher(auth=Tc3Auth(source, service="sts", clock=ctx.clock), max_attempts=2)
    region = clean(ctx.env.get("TENCENTCLOUD_REGION")) or DEFAULT_REGION
    body = fetcher.call("GetCallerIdentity",
                        lambda: request(url, "GetCallerIdentity", {}, region=region, clock=ctx.clock, signed=True),
                        parse_answer("GetCallerIdentity", ctx.provider, needs="Arn"))
    return str(body["Arn"])
