"""Addresses and remote names of desired resources (DESIGN.md §3).

Owns the spelling of ``template.<name>``, ``job.<stream>.<snapshot>``,
``task.<stream>.<snapshot>[<UTC start>]``, template remote names and Alibaba JobNames with their
digest. Providers and the planner rely on these exact spellings for adoption, so they are
plain pure functions of their arguments.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from livesnap_reconcile.core.timeutil import format_task_stamp
from livesnap_reconcile.vendors.alibaba.job import job_name_prefix

DIGEST_LENGTH = 8


def template_address(name: str) -> str:
    return f"template.{name}"


def job_address(stream: str, snapshot: str) -> str:
    return f"job.{stream}.{snapshot}"


def task_address(stream: str, snapshot: str, start: int) -> str:
    """``task.<stream>.<snapshot>[2026-11-25T11:00Z]``; ``start`` is the *scheduled* start."""
    return f"task.{stream}.{snapshot}[{format_task_stamp(start)}]"


def remote_template_name(namespace: str, name: str) -> str:
    return f"{namespace}-{name}"


def manifest_template_ref(value: Any) -> str | dict[str, str]:
    """The manifest's own spelling of a template reference: a name, or ``{"id": "<str>"}``."""
    if isinstance(value, Mapping):
        return {"id": str(value["id"])}
    return str(value)


def job_digest(*, rtmp_url: str, output: Mapping[str, Any], template: Any, callback_url: str | None) -> str:
    """First 8 hex chars of sha256 over canonical JSON of the job's immutable fields.

    Canonical JSON: sorted keys, no whitespace, UTF-8. ``template`` is the manifest reference
    (template *name* or ``{"id"}``), not a remote id, so the name is known before apply.
    """
    fields = {
        "callback_url": callback_url,
        "output": {"bucket": output["bucket"], "endpoint": output["endpoint"]},
        "rtmp_url": rtmp_url,
        "template": manifest_template_ref(template),
    }
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


def job_name(
    namespace: str,
    stream: str,
    snapshot: str,
    *,
    rtmp_url: str,
    output: Mapping[str, Any],
    template: Any,
    callback_url: str | None,
) -> str:
    """``ls/<namespace>/<stream>/<snapshot>/<digest>``."""
    digest = job_digest(rtmp_url=rtmp_url, output=output, template=template, callback_url=callback_url)
    return f"{job_name_prefix(namespace)}{stream}/{snapshot}/{digest}"
