"""Where Alibaba Cloud credentials come from (never from a manifest): the default chain.

Order, as the official ``alibabacloud-credentials`` default chain: (1) env
``ALIBABA_CLOUD_ACCESS_KEY_ID``/``ALIBABA_CLOUD_ACCESS_KEY_SECRET`` (+ ``ALIBABA_CLOUD_SECURITY_TOKEN``),
and with ``ALIBABA_CLOUD_ROLE_ARN`` set those keys assume that role; (2) OIDC/RRSA when
``ALIBABA_CLOUD_OIDC_PROVIDER_ARN``, ``ALIBABA_CLOUD_OIDC_TOKEN_FILE`` and ``ALIBABA_CLOUD_ROLE_ARN``
are all set; (3) the aliyun CLI profile (skipped with ``ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true``);
(4) ``credentials.ini``; (5) the ECS instance RAM role (role from ``ALIBABA_CLOUD_ECS_METADATA``,
skipped with ``ALIBABA_CLOUD_ECS_METADATA_DISABLED=true``); (6) ``ALIBABA_CLOUD_CREDENTIALS_URI``.
A manifest ``profile:`` skips (1) and (2).
Each source lives in its own module; this one only orders them. Must not log or raise with a secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from livesnap_reconcile.errors import ProviderError
from livesnap_reconcile.providers.alibaba.credentials import static
from livesnap_reconcile.providers.alibaba.credentials.cli_profile import cli_path, from_cli
from livesnap_reconcile.providers.alibaba.credentials.ecs import ecs_role
from livesnap_reconcile.providers.alibaba.credentials.sts import assume_role, assume_role_with_oidc
from livesnap_reconcile.providers.alibaba.credentials.uri import ENV_URI, credentials_uri
from livesnap_reconcile.providers.alibaba.credentials.whoami import caller_identity
from livesnap_reconcile.providers.credential_source import Context, CredentialSource, Static
from livesnap_reconcile.providers.credentials_common import Credentials, clean, missing

ENV_ROLE = "ALIBABA_CLOUD_ROLE_ARN"
ENV_OIDC = ("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE", ENV_ROLE)
ENV_ECS = "ALIBABA_CLOUD_ECS_METADATA"

__all__ = ["caller_identity", "chain", "resolve"]


def chain(ctx: Context, profile: str | None) -> CredentialSource:
    """The first source that applies, ready to sign with. Raises AuthError when none does."""
    env, tried = ctx.env, []
    if not profile:
        tried.append(f"env {static.ENV_ID}/{static.ENV_SECRET}")
        keys = static.from_env(env)
        if keys is not None:
            role = clean(env.get(ENV_ROLE))
            if role and not all(clean(env.get(n)) for n in ENV_OIDC):
                return assume_role(ctx, Static(keys), role_arn=role, kind="env + ram_role_arn")
            return Static(keys)
        tried.append("OIDC env " + "/".join(ENV_OIDC))
        if all(clean(env.get(n)) for n in ENV_OIDC):
            return assume_role_with_oidc(ctx, role_arn=clean(env.get(ENV_ROLE)),
                                         provider_arn=clean(env.get(ENV_OIDC[0])), token_file=clean(env.get(ENV_OIDC[1])))
    name = profile or clean(env.get("ALIBABA_CLOUD_PROFILE")) or None
    if clean(env.get("ALIBABA_CLOUD_CLI_PROFILE_DISABLED")).lower() != "true":
        path = cli_path(ctx.home)
        tried.append(str(path))
        found = from_cli(ctx, path, name)
        if found is not None:
            return found
    path = static.ini_path(env, ctx.home)
    section = name or "default"
    tried.append(f"{path} [{section}]")
    values = static.ini_section(path, section, provider=ctx.provider)
    if values is not None:
        found = _from_ini(ctx, values, source=f"{path} [{section}]")
        if found is not None:
            return found
    if clean(env.get("ALIBABA_CLOUD_ECS_METADATA_DISABLED")).lower() != "true":
        tried.append("ECS instance metadata")
        found = _probe_ecs(ctx, clean(env.get(ENV_ECS)) or None)
        if found is not None:
            return found
    if clean(env.get(ENV_URI)):
        return credentials_uri(ctx, clean(env.get(ENV_URI)))
    raise missing(ctx.provider, "alibaba", tried)


def _from_ini(ctx: Context, values: Mapping[str, str], *, source: str) -> CredentialSource | None:
    kind = values.get("type")
    keys = static.ini_keys(values, source=source)
    if keys is not None:
        return Static(keys)
    common: dict[str, Any] = {"role_arn": values.get("role_arn", ""), "name": values.get("role_session_name") or None}
    if kind == "ram_role_arn" and values.get("access_key_id") and values.get("access_key_secret") and common["role_arn"]:
        base = Static(Credentials(values["access_key_id"], values["access_key_secret"], None, source=source))
        return assume_role(ctx, base, policy=values.get("policy") or None, kind=f"{source} (ram_role_arn)", **common)
    if kind == "oidc_role_arn" and common["role_arn"]:
        return assume_role_with_oidc(ctx, provider_arn=values.get("oidc_provider_arn", ""),
                                     token_file=values.get("oidc_token_file_path", ""),
                                     kind=f"{source} (oidc_role_arn)", **common)
    if kind == "ecs_ram_role":
        return ecs_role(ctx, role_name=values.get("role_name") or None)
    return None


def _probe_ecs(ctx: Context, role_name: str | None) -> CredentialSource | None:
    """The instance role. Named by the user: taken as is. Otherwise only when the service answers."""
    source = ecs_role(ctx, role_name=role_name)
    if role_name:
        return source
    try:
        source.get()
    except ProviderError:
        return None  # not an ECS instance, or no role attached
    return source


def resolve(*, provider: str, profile: str | None, env: Mapping[str, str], home: Path, **kw: Any) -> Credentials:
    """The credentials to sign with now (a convenience over `chain` for one-off callers and tests)."""
    return chain(Context(provider=provider, env=env, home=home, **kw), profile).get()
