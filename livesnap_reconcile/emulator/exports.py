"""The shell lines that point the vendors' own tools and SDKs at the sandbox's keys, and its roles."""

from __future__ import annotations

from livesnap_reconcile.emulator.core import SANDBOX_KEYS


def export_lines() -> list[str]:
    alibaba_id, alibaba_secret = SANDBOX_KEYS["alibaba"]
    tencent_id, tencent_key = SANDBOX_KEYS["tencent"]
    return [f"export TENCENTCLOUD_SECRET_ID={tencent_id}", f"export TENCENTCLOUD_SECRET_KEY={tencent_key}",
            f"export ALIBABA_CLOUD_ACCESS_KEY_ID={alibaba_id}",
            f"export ALIBABA_CLOUD_ACCESS_KEY_SECRET={alibaba_secret}"]


def keyless_lines() -> list[str]:
    """Comment lines naming the roles to assume and the OIDC providers, for keyless trials."""
    from livesnap_reconcile.emulator.identity import OIDC_ISSUER, OIDC_PROVIDERS, ROLES

    return [f"# roles to assume: {ROLES['alibaba'][0]} (ALIBABA_CLOUD_ROLE_ARN), "
            f"{ROLES['tencent'][0]} (TENCENTCLOUD_ROLE_ARN or TKE_ROLE_ARN)",
            f"# OIDC issuer {OIDC_ISSUER}: providers {next(iter(OIDC_PROVIDERS['alibaba']))} and "
            f"{next(iter(OIDC_PROVIDERS['tencent']))}; tokens from `livesnap sandbox oidc-token`"]
