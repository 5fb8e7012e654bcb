"""The shell lines that point the vendors' own tools and SDKs at the sandbox's keys."""

from __future__ import annotations

from livesnap_reconcile.emulator.core import SANDBOX_KEYS


def export_lines() -> list[str]:
    alibaba_id, alibaba_secret = SANDBOX_KEYS["alibaba"]
    tencent_id, tencent_key = SANDBOX_KEYS["tencent"]
    return [f"export TENCENTCLOUD_SECRET_ID={tencent_id}", f"export TENCENTCLOUD_SECRET_KEY={tencent_key}",
            f"export ALIBABA_CLOUD_ACCESS_KEY_ID={alibaba_id}",
            f"export ALIBABA_CLOUD_ACCESS_KEY_SECRET={alibaba_secret}"]
