"""Where Tencent Cloud credentials come from (never from a manifest): the default chain.

Order, as the official ``tencentcloud-sdk-python-common`` default chain: (1) env
``TENCENTCLOUD_SECRET_ID``/``TENCENTCLOUD_SECRET_KEY`` (+ ``TENCENTCLOUD_TOKEN``); (2) the
credentials file (section ``[default]`` or the manifest ``profile:``); (3) the CVM instance role
(metadata service; skipped with ``TENCENTCLOUD_CVM_METADATA_DISABLED=true``); (4) TKE/CI OIDC when
``TKE_REGION``, ``TKE_PROVIDER_ID``, ``TKE_WEB_IDENTITY_TOKEN_FILE`` and ``TKE_ROLE_ARN`` are all set.
Keys from (1) or (2) assume a role when ``TENCENTCLOUD_ROLE_ARN`` (or the section's ``role_arn``) is set,
as tccli does. A manifest ``profile:`` skips (1). Must not log or raise with a secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from livesnap_reconcile.errors import ProviderError
from livesnap_reconcile.providers.credential_source import Context, CredentialSource, Static
from livesnap_reconcile.providers.credentials_common import Credentials, clean, missing
from livesnap_reconcile.providers.tencent.credentials import static
from livesnap_reconcile.providers.tencent.credentials.cvm import cvm_role
from livesnap_reconcile.providers.tencent.credentials.sts import assume_role, assume_role_with_web_identity
from livesnap_reconcile.providers.tencent.credentials.whoami import caller_identity

ENV_OIDC = ("TKE_REGION", "TKE_PROVIDER_ID", "TKE_WEB_IDENTITY_TOKEN_FILE", "TKE_ROLE_ARN")

__all__ = ["caller_identity", "chain", "resolve"]


def _maybe_assume(ctx: Context, keys: Credentials, role_arn: str) -> CredentialSource:
    if not role_arn:
        return Static(keys)
    region = clean(ctx.env.get("TENCENTCLOUD_REGION")) or "ap-guangzhou"
    return assume_role(ctx, Static(keys), role_arn=role_arn, region=region, kind=f"{keys.source} + assume_role")


def chain(ctx: Context, profile: str | None) -> CredentialSource:
    env, tried = ctx.env, []
    role_env = clean(env.get("TENCENTCLOUD_ROLE_ARN"))
    if not profile:
        tried.append(f"env {static.ENV_ID}/{static.ENV_KEY}")
        keys = static.from_env(env)
        if keys is not None:
            return _maybe_assume(ctx, keys, role_env)
    path = static.file_path(env, ctx.home)
    section = profile or "default"
    tried.append(f"{path} [{section}]")
    found = static.from_file(path, section, provider=ctx.provider)
    if found is not None:
        keys, role_file = found
        return _maybe_assume(ctx, keys, role_env or role_file)
    if clean(env.get("TENCENTCLOUD_CVM_METADATA_DISABLED")).lower() != "true":
        tried.append("CVM instance metadata")
        source = cvm_role(ctx)
        try:
            source.get()
        except ProviderError:
            pass  # not a CVM instance, or no role bound
        else:
            return source
    tried.append("OIDC env " + "/".join(ENV_OIDC))
    if all(clean(env.get(n)) for n in ENV_OIDC):
        return assume_role_with_web_identity(ctx, role_arn=clean(env.get("TKE_ROLE_ARN")),
                                             provider_id=clean(env.get("TKE_PROVIDER_ID")),
                                             token_file=clean(env.get("TKE_WEB_IDENTITY_TOKEN_FILE")),
                                             region=clean(env.get("TKE_REGION")))
    raise missing(ctx.provider, "tencent", tried)


def resolve(*, provider: str, profile: str | None, env: Mapping[str, str], home: Path, **kw: Any) -> Credentials:
    """The credentials to sign with now (a convenience over `chain` for one-off callers and tests)."""
    return chain(Context(provider=provider, env=env, home=home, **kw), profile).get()
