"""Builders shared by the expansion tests: small manifests as plain dicts (DESIGN.md §2 shape)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

HOUR = 3600
DAY = 86400

NOW = int(datetime.fromisoformat("2026-11-25T10:00:00+08:00").timestamp())  # a Wednesday


def ts(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


def manifest(*, streams: dict[str, Any] | None = None, templates: dict[str, Any] | None = None) -> dict:
    return {
        "version": 1,
        "namespace": "newsroom",
        "providers": {
            "ice-sh": {"vendor": "alibaba", "region": "cn-shanghai"},
            "css-gz": {"vendor": "tencent", "region": "ap-guangzhou"},
        },
        "templates": templates
        if templates is not None
        else {
            "every-10s": {"provider": "ice-sh", "interval": 10, "sequence_format": "s/{JobId}/{Sequence}.jpg"},
            "thumbs": {"provider": "css-gz", "cos": {"app_id": 1250000000, "bucket": "thumbs"}},
        },
        "streams": streams or {},
    }


def tencent(snapshots: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "provider": "css-gz",
        "domain": "5000.live.push.com",
        "app": "live",
        "stream": "livetest",
        "snapshots": snapshots,
        **extra,
    }


def alibaba(snapshots: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "provider": "ice-sh",
        "rtmp_url": "rtmp://push.example.com/live/main",
        "output": {"bucket": "media", "endpoint": "oss-cn-shanghai.aliyuncs.com"},
        "snapshots": snapshots,
        **extra,
    }


def window(start: int, end: int) -> dict[str, str]:
    """A window as the manifest spells it, in +08:00 so offsets are exercised."""
    zone = timezone(timedelta(hours=8))
    return {
        "start": datetime.fromtimestamp(start, zone).isoformat(),
        "end": datetime.fromtimestamp(end, zone).isoformat(),
    }
