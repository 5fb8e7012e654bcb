"""Profiles of the aliyun CLI file ``~/.aliyun/config.json``, turned into credential sources.

Owns: choosing the profile (the manifest's, else ``ALIBABA_CLOUD_PROFILE``, else ``current``) and
the modes ``AK``, ``StsToken``, ``RamRoleArn``, ``EcsRamRole``, ``OIDC`` and ``ChainableRamRoleArn``
(whose ``source_profile`` is resolved recursively, cycles refused). Other modes (CloudSSO, OAuth,
External) are a clear error naming the mode. Must not log or raise with a secret.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from livesnap_reconcile.errors import AuthError
from livesnap_reconcile.providers.alibaba.credentials.ecs import ecs_role
from livesnap_reconcile.providers.alibaba.credentials.sts import assume_role, assume_role_with_oidc
from livesnap_reconcile.providers.credential_source import Context, CredentialSource, Static
from livesnap_reconcile.providers.credentials_common import Credentials, clean, read_json

MODES = ("AK", "StsToken", "RamRoleArn", "EcsRamRole", "OIDC", "ChainableRamRoleArn")


def cli_path(home: Path) -> Path:
    return home / ".aliyun" / "config.json"


def from_cli(ctx: Context, path: Path, profile: str | None) -> CredentialSource | None:
    data = read_json(path, provider=ctx.provider)
    if not isinstance(data, dict):
        return None
    name = profile or clean(str(data.get("current") or "")) or "default"
    profiles = {p.get("name"): p for p in data.get("profiles") or [] if isinstance(p, dict)}
    return _source(ctx, path, profiles, name, seen=())


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "", 0) else None
    except (TypeError, ValueError):
        return None


def _source(ctx: Context, path: Path, profiles: dict, name: str, *, seen: tuple[str, ...]) -> CredentialSource | None:
    entry = profiles.get(name)
    if entry is None:
        return None
    label = f"{path} profile {name}"
    mode = str(entry.get("mode") or "AK")
    if mode not in MODES:
        raise AuthError(f"provider {ctx.provider!r}: aliyun profile {name!r} uses mode {mode!r}; supported: "
                        + ", ".join(MODES), provider=ctx.provider)
    key_id, secret = clean(entry.get("access_key_id")), clean(entry.get("access_key_secret"))
    if mode == "AK":
        return Static(Credentials(key_id, secret, None, source=label)) if key_id and secret else None
    if mode == "StsToken":
        token = clean(entry.get("sts_token"))
        return Static(Credentials(key_id, secret, token, source=label)) if key_id and secret and token else None
    if mode == "EcsRamRole":
        return ecs_role(ctx, role_name=clean(entry.get("ram_role_name")) or None)
    sts_ctx = ctx
    if clean(entry.get("sts_region")) and not clean(ctx.env.get("ALIBABA_CLOUD_STS_REGION")):
        sts_ctx = dataclasses.replace(ctx, env={**ctx.env, "ALIBABA_CLOUD_STS_REGION": clean(entry.get("sts_region"))})
    role_arn = clean(entry.get("ram_role_arn"))
    common: dict[str, Any] = {"role_arn": role_arn, "name": clean(entry.get("ram_session_name")) or None,
              "duration": _int(entry.get("expired_seconds"))}
    if not role_arn:
        raise AuthError(f"provider {ctx.provider!r}: aliyun profile {name!r} (mode {mode}) has no ram_role_arn",
                        provider=ctx.provider)
    if mode == "OIDC":
        return assume_role_with_oidc(sts_ctx, provider_arn=clean(entry.get("oidc_provider_arn")),
                                     token_file=clean(entry.get("oidc_token_file")), kind=f"cli profile {name} (OIDC)",
                                     **common)
    if mode == "RamRoleArn":
        if not (key_id and secret):
            return None
        base: CredentialSource = Static(Credentials(key_id, secret, None, source=label))
    else:  # ChainableRamRoleArn
        parent = clean(entry.get("source_profile"))
        if not parent or parent in seen or parent == name:
            raise AuthError(f"provider {ctx.provider!r}: aliyun profile {name!r} has a missing or circular "
                            "source_profile", provider=ctx.provider)
        found = _source(ctx, path, profiles, parent, seen=(*seen, name))
        if found is None:
            raise AuthError(f"provider {ctx.provider!r}: aliyun profile {name!r}: source_profile {parent!r} "
                            "has no credentials", provider=ctx.provider)
        base = found
    return assume_role(sts_ctx, base, external_id=clean(entry.get("external_id")) or None,
                       policy=clean(entry.get("policy")) or None, kind=f"cli profile {name} ({mode})", **common)
