"""Tencent Live objects <-> livesnap attribute shapes (`livesnap_reconcile.resources`).

Owns: request parameters for snapshot templates and screenshot tasks, normalisation of responses
(template ids are ints on the wire and strings in livesnap; task status is derived from
``Stopped`` and the clock because the API has none), and the refresh windows of DESIGN.md §4.
Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from livesnap_reconcile.errors import Invalid
from livesnap_reconcile.resources import RemoteObject
from livesnap_reconcile.vendors.tencent.rule import rule_key

DAY = 86400
# Every documented maximum is kept a minute short of, so a server comparing strictly accepts it.
LIMIT_MARGIN = 60
WINDOW = 7 * DAY - LIMIT_MARGIN  # DescribeScreenshotTask: span <= 1 week
STEP = WINDOW - DAY  # tasks last <= 24 h, so windows overlapping by a day contain every task whole
HISTORY = 90 * DAY  # StartTime >= now - 90 days (callers add FIND_SLACK above that minimum)

_TEMPLATE_FIELDS = (
    ("name", "TemplateName", str), ("interval", "SnapshotInterval", int), ("width", "Width", int),
    ("height", "Height", int), ("porn_flag", "PornFlag", int), ("cos_app_id", "CosAppId", int),
    ("cos_bucket", "CosBucket", str), ("cos_region", "CosRegion", str), ("cos_prefix", "CosPrefix", str),
    ("cos_file_name", "CosFileName", str), ("description", "Description", str),
)


def wire_template_id(value: Any, *, provider: str) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise Invalid(f"provider {provider!r}: Tencent template ids are integers, got {value!r}", provider=provider) from None


# Optional strings that Modify keeps when they are left out: an update sends "" to clear them.
_CLEARABLE = ("description", "cos_prefix", "cos_file_name")


def template_params(attributes: Mapping[str, Any], *, update: bool = False) -> dict[str, Any]:
    """Create or Modify parameters; on Modify an unset clearable field is sent as an explicit ""."""
    params: dict[str, Any] = {}
    for attr, wire, kind in _TEMPLATE_FIELDS:
        value = attributes.get(attr)
        if value is None or (attr == "description" and value == ""):
            if update and attr in _CLEARABLE:
                params[wire] = ""
            continue
        params[wire] = kind(value)
    return params


def template_object(data: Mapping[str, Any], *, provider: str) -> RemoteObject:
    attributes: dict[str, Any] = {}
    for attr, wire, kind in _TEMPLATE_FIELDS:
        value = data.get(wire)
        if attr in ("cos_prefix", "cos_file_name"):
            attributes[attr] = str(value) if value not in (None, "") else None
        elif attr == "description":
            attributes[attr] = str(value or "")
        else:
            attributes[attr] = kind(value) if value not in (None, "") else kind()
    return RemoteObject(kind="template", provider=provider, remote_id=str(data["TemplateId"]), attributes=attributes)


def task_params(attributes: Mapping[str, Any], *, start: int, provider: str) -> dict[str, Any]:
    ref = attributes.get("template") or {}
    if not isinstance(ref, Mapping) or "id" not in ref:
        raise Invalid(f"provider {provider!r}: template reference {ref!r} is not resolved to an id", provider=provider)
    return {
        "StreamName": attributes["stream"],
        "DomainName": attributes["domain"],
        "AppName": attributes["app"],
        "StartTime": int(start),
        "EndTime": int(attributes["end"]),
        "TemplateId": wire_template_id(ref["id"], provider=provider),
    }


def task_status(item: Mapping[str, Any], *, now: int) -> str:
    if int(item.get("Stopped") or 0) > 0:
        return "stopped"
    if now < int(item["StartTime"]):
        return "pending"
    if now >= int(item["EndTime"]):
        return "finished"
    return "running"


def task_object(item: Mapping[str, Any], *, provider: str, now: int) -> RemoteObject:
    return RemoteObject(
        kind="task",
        provider=provider,
        remote_id=str(item["TaskId"]),
        attributes={
            "domain": str(item.get("DomainName") or ""),
            "app": str(item.get("AppName") or ""),
            "stream": str(item.get("StreamName") or ""),
            "start": int(item["StartTime"]),
            "end": int(item["EndTime"]),
            "template": {"id": str(item.get("TemplateId", ""))},
        },
        status=task_status(item, now=now),
        extra={"stopped": int(item.get("Stopped") or 0)},
    )


def windows(lo: int, hi: int) -> list[tuple[int, int]]:
    """Query windows [w, w + WINDOW] (a minute short of 7 d), stepped by WINDOW - 1 d from ``lo``.

    A task of <= 24 h starting at s in [lo, hi] lies whole in the window whose start is the last
    one <= s, because that window reaches at least s + 1 day.
    """
    out: list[tuple[int, int]] = []
    start = lo
    while True:
        out.append((start, start + WINDOW))
        if start + WINDOW >= hi:
            return out
        start += STEP


def rule_object(item: Mapping[str, Any], *, provider: str) -> RemoteObject:
    """A RuleInfo; the vendor keys rules by (domain, app, stream), so that is the remote id."""
    domain, app, stream = str(item.get("DomainName") or ""), str(item.get("AppName") or ""), str(item.get("StreamName") or "")
    attributes = {"domain": domain, "app": app, "stream": stream, "template": {"id": str(item.get("TemplateId"))}}
    return RemoteObject(kind="rule", provider=provider, remote_id=rule_key(domain, app, stream), attributes=attributes)


def rule_params(attributes: Mapping[str, Any], *, provider: str) -> dict[str, Any]:
    # AppName is always sent: left out, the vendor's default ("live") would apply.
    params: dict[str, Any] = {"DomainName": str(attributes["domain"]), "AppName": str(attributes["app"]),
                              "TemplateId": wire_template_id((attributes.get("template") or {}).get("id"), provider=provider)}
    if attributes.get("stream"):
        params["StreamName"] = str(attributes["stream"])
    return params


def rule_key_params(remote_id: str) -> dict[str, Any]:
    domain, app, stream = (remote_id.split("/", 2) + ["", ""])[:3]
    params = {"DomainName": domain, "AppName": app}
    return {**params, "StreamName": stream} if stream else params
