"""Builders for plans in renderer tests: plans are data, so tests build them directly.

Times are Unix seconds; T0 is 2026-11-25T11:00:00Z, the example occurrence used in the docs.
"""

from __future__ import annotations

import zlib
from typing import Any

from livesnap_reconcile.plan.model import Action, Change, DeferredItem, Drift, Plan

T0 = 1795604400  # 2026-11-25T11:00:00Z
HOUR = 3600


def stamp(ts: int) -> str:
    """The address form of a start time: ``2026-11-25T11:00Z``."""
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%MZ")


def task_attrs(stream: str = "lobby", *, start: int = T0, end: int | None = None, template: Any = None) -> dict:
    return {
        "domain": "push.example.com",
        "app": "live",
        "stream": stream,
        "start": start,
        "end": end if end is not None else start + HOUR,
        "template": template if template is not None else {"id": "1001"},
    }


def tencent_template_attrs(name: str = "thumbs", *, interval: int = 10) -> dict:
    return {
        "name": f"demo-{name}", "interval": interval, "width": 0, "height": 0, "porn_flag": 0,
        "cos_app_id": 1250000000, "cos_bucket": "snaps-1250000000", "cos_region": "ap-shanghai",
        "cos_prefix": None, "cos_file_name": None, "description": "",
    }


def job_attrs(stream: str = "main", *, status: str = "started", bucket: str = "snaps") -> dict:
    return {
        "name": f"ls/demo/{stream}/thumbs/0123abcd",
        "rtmp_url": f"rtmp://live.example.com/app/{stream}",
        "output": {"bucket": bucket, "endpoint": "oss-cn-shanghai.aliyuncs.com"},
        "template": {"id": "tpl-1"},
        "callback_url": None,
        "status": status,
    }


def task_address(stream: str = "lobby", snapshot: str = "news", start: int = T0) -> str:
    return f"task.{stream}.{snapshot}[{stamp(start)}]"


def change(address: str, action: Action, **kw: Any) -> Change:
    kind = address.split(".", 1)[0]
    provider = "ali" if kind == "job" else "tx"
    defaults: dict[str, Any] = {"kind": kind, "provider": provider, "reason": ""}
    if action is not Action.CREATE:
        defaults["remote_id"] = f"rid-{zlib.crc32(address.encode()) % 10_000}"
    defaults.update(kw)
    return Change(address=address, action=action, **defaults)


def create_task(stream: str = "lobby", snapshot: str = "news", start: int = T0, **kw: Any) -> Change:
    kw.setdefault("after", task_attrs(stream, start=start))
    return change(task_address(stream, snapshot, start), Action.CREATE, **kw)


def drift(address: str, what: str, **kw: Any) -> Drift:
    kw.setdefault("detail", "")
    kw.setdefault("provider", "tx")
    return Drift(address=address, what=what, **kw)


def deferred(address: str, start: int, *, not_before: int | None = None) -> DeferredItem:
    return DeferredItem(address=address, start=start, end=start + HOUR,
                        not_before=not_before if not_before is not None else start - 6 * 86400)


def plan(*changes: Change, **kw: Any) -> Plan:
    kw.setdefault("namespace", "demo")
    kw.setdefault("lineage", "0b3c1c9e-6d53-4f0e-9f51-7d6d3c2a1b00")
    kw.setdefault("serial", 7)
    kw.setdefault("manifest_digest", "sha256:" + "ab" * 32)
    kw.setdefault("created_at", T0 - 86400)
    kw.setdefault("providers", {"tx": {"vendor": "tencent", "region": "ap-shanghai"},
                                "ali": {"vendor": "alibaba", "region": "cn-shanghai"}})
    return Plan(changes=tuple(changes), **kw)


def big_plan(streams: int, per_stream: int) -> Plan:
    """``streams * per_stream`` task creates over many streams (the PR-comment size test)."""
    changes = [
        create_task(f"stream-{s:03d}", "thumbs", T0 + i * HOUR)
        for s in range(streams) for i in range(per_stream)
    ]
    return plan(*changes)
