"""Semantic manifest rules: what the JSON Schema cannot say because it needs the vendor or a reference.

Owns vendor-specific keys and ranges (a ``cos:`` on an Alibaba template, interval 5..3600 vs
2..300), snapshot format rules of ICE, references to providers and templates, remote-name limits,
endpoint schemes, and the time rules (via `timespec`). Every check is defensive about types: a
value of the wrong type was already reported by the schema and is skipped here. Returns
``(path, message, severity, on_key)`` problems; the caller locates and de-duplicates them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from livesnap_reconcile.loopback import is_loopback
from livesnap_reconcile.manifest import timespec
from livesnap_reconcile.manifest.diagnostics import ManifestPath
from livesnap_reconcile.vendors.alibaba.job import job_name_prefix

Problem = tuple[ManifestPath, str, str, bool]  # path, message, severity, locate on the key

INTERVALS = {"alibaba": (5, 3600), "tencent": (2, 300)}
TEMPLATE_ONLY = {"alibaba": ("sequence_format", "overwrite_format"),
                 "tencent": ("width", "height", "porn_flag", "description", "cos")}
STREAM_ONLY = {"alibaba": ("rtmp_url", "output"), "tencent": ("domain", "app", "stream")}
SNAPSHOT_ONLY = {"alibaba": ("callback_url", "status"), "tencent": ()}
VENDOR_WORD = {"alibaba": "Alibaba", "tencent": "Tencent"}
ICE_NAME_MAX = 128
ICE_JOB_NAME_MAX = 128
TENCENT_NAME_BYTES = 255
TENCENT_DESCRIPTION_BYTES = 1024
_TENCENT_TEXT = re.compile(r"^[A-Za-z0-9_\-\u4e00-\u9fff]*$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
SEQUENCE_PLACEHOLDERS = ("JobId", "Date", "UnixTimestamp", "Sequence")


def check(data: Mapping[str, Any], *, now: datetime | None) -> Iterator[Problem]:
    providers = _section(data, "providers")
    # A provider with a bad vendor is known (no "undefined" message) but has no vendor (None).
    raw = data.get("providers")
    raw = raw if isinstance(raw, Mapping) else {}
    vendors = {name: _vendor_word(p) for name, p in raw.items()}
    namespace = data.get("namespace") if isinstance(data.get("namespace"), str) else None
    for name, provider in providers.items():
        yield from _provider(provider, ("providers", name))
    templates = _section(data, "templates")
    for name, template in templates.items():
        yield from _template(template, ("templates", name), vendors, namespace)
    for name, stream in _section(data, "streams").items():
        yield from _stream(stream, ("streams", name), vendors=vendors, templates=templates,
                           namespace=namespace, now=now)


def _vendor_word(provider: object) -> str | None:
    vendor = provider.get("vendor") if isinstance(provider, Mapping) else None
    return vendor if isinstance(vendor, str) and vendor in INTERVALS else None


def _section(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return {k: v for k, v in value.items() if isinstance(v, Mapping)} if isinstance(value, Mapping) else {}


def _err(path: ManifestPath, message: str, *, on_key: bool = False) -> Problem:
    return path, message, "error", on_key


def _provider(provider: Mapping[str, Any], path: ManifestPath) -> Iterator[Problem]:
    endpoint = provider.get("endpoint")
    if isinstance(endpoint, str) and endpoint.startswith("http://"):
        host = urlsplit(endpoint).hostname or ""
        if not is_loopback(host):
            yield _err((*path, "endpoint"), "endpoint must use https:// (plain http is allowed only for "
                       "loopback hosts such as 127.0.0.1 or localhost)")


def _vendor_of(node: Mapping[str, Any], path: ManifestPath, vendors: Mapping[str, str | None],
               ) -> tuple[str | None, list[Problem]]:
    provider = node.get("provider")
    if not isinstance(provider, str):
        return None, []
    if provider not in vendors:
        return None, [_err((*path, "provider"), f"undefined provider {provider!r} (defined: {_names(vendors)})")]
    return vendors[provider], []


def _names(defined: Mapping[str, Any]) -> str:
    names = sorted(defined)
    listed = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
    return listed or "none"


def _only_keys(node: Mapping[str, Any], path: ManifestPath, vendor: str, table: Mapping[str, tuple],
               noun: str, provider: str) -> Iterator[Problem]:
    for other, keys in table.items():
        if other == vendor:
            continue
        for key in keys:
            if key in node:
                yield _err((*path, key), f"{key!r} is only valid on {VENDOR_WORD[other]} {noun}; provider "
                           f"{provider!r} is {vendor}", on_key=True)


def _required(node: Mapping[str, Any], path: ManifestPath, keys: tuple[str, ...], what: str) -> Iterator[Problem]:
    for key in keys:
        if key not in node:
            yield _err(path, f"missing required key {key!r} ({what})", on_key=True)


def _template(template: Mapping[str, Any], path: ManifestPath, vendors: Mapping[str, str | None],
              namespace: str | None) -> Iterator[Problem]:
    vendor, problems = _vendor_of(template, path, vendors)
    yield from problems
    if vendor is None:
        return
    yield from _only_keys(template, path, vendor, TEMPLATE_ONLY, "templates", template["provider"])
    low, high = INTERVALS[vendor]
    interval = template.get("interval")
    if isinstance(interval, int) and not isinstance(interval, bool) and not low <= interval <= high:
        yield _err((*path, "interval"), f"interval must be between {low} and {high} seconds for "
                   f"{VENDOR_WORD[vendor]} templates (got {interval})")
    remote = f"{namespace}-{path[-1]}" if namespace else None
    if vendor == "alibaba":
        yield from _required(template, path, ("interval",), "Alibaba templates need an interval")
        yield from _alibaba_formats(template, path)
        if remote and len(remote) > ICE_NAME_MAX:
            yield _err(path, f"remote template name {remote!r} exceeds {ICE_NAME_MAX} characters", on_key=True)
    else:
        yield from _required(template, path, ("cos",), "Tencent templates store snapshots in COS")
        yield from _tencent_template(template, path, remote)


def _alibaba_formats(template: Mapping[str, Any], path: ManifestPath) -> Iterator[Problem]:
    if "sequence_format" not in template and "overwrite_format" not in template:
        yield _err(path, "Alibaba templates need 'sequence_format', 'overwrite_format' or both", on_key=True)
    for key, allowed in (("overwrite_format", ("JobId",)), ("sequence_format", SEQUENCE_PLACEHOLDERS)):
        text = template.get(key)
        if isinstance(text, str):
            for message in format_problems(text, allowed=allowed, sequence=key == "sequence_format"):
                yield _err((*path, key), f"{key} {message}")


def format_problems(text: str, *, allowed: tuple[str, ...], sequence: bool) -> Iterator[str]:
    """ICE's rules for snapshot object names (alibaba-ice.md §2.1)."""
    if text.startswith("/"):
        yield "must not start with '/'"
    if not text.endswith(".jpg"):
        yield "must end with '.jpg'"
    if len(text) > 255:
        yield f"must be at most 255 characters (got {len(text)})"
    used = _PLACEHOLDER.findall(text)
    for name in dict.fromkeys(used):
        if name not in allowed:
            choices = ", ".join("{" + a + "}" for a in allowed)
            yield f"uses unsupported placeholder {{{name}}} (allowed: {choices})"
    if _PLACEHOLDER.sub("", text).count("{") or _PLACEHOLDER.sub("", text).count("}"):
        yield "has an unbalanced '{' or '}'"
    if sequence and not ({"UnixTimestamp", "Sequence"} & set(used)):
        yield "must contain {UnixTimestamp} or {Sequence} so snapshots do not overwrite each other"


def _tencent_template(template: Mapping[str, Any], path: ManifestPath, remote: str | None) -> Iterator[Problem]:
    description = template.get("description")
    if isinstance(description, str):
        if len(description.encode()) > TENCENT_DESCRIPTION_BYTES:
            yield _err((*path, "description"), f"description must be at most {TENCENT_DESCRIPTION_BYTES} bytes")
        if not _TENCENT_TEXT.match(description):
            yield _err((*path, "description"), "description may contain only letters, digits, Chinese "
                       "characters, '_' and '-' (a Tencent rule)")
    cos = template.get("cos")
    if isinstance(cos, Mapping) and isinstance(cos.get("bucket"), str) and isinstance(cos.get("app_id"), int):
        suffix = f"-{cos['app_id']}"
        if cos["bucket"].endswith(suffix):
            yield _err((*path, "cos", "bucket"), f"cos.bucket must not include the {suffix!r} app id suffix; "
                       f"write {cos['bucket'][: -len(suffix)]!r}")
    if remote and (len(remote.encode()) > TENCENT_NAME_BYTES or not re.match(r"^[A-Za-z0-9_-]+$", remote)):
        yield _err(path, f"remote template name {remote!r} must be at most {TENCENT_NAME_BYTES} bytes of "
                   "letters, digits, '_' and '-'", on_key=True)


def _stream(stream: Mapping[str, Any], path: ManifestPath, *, vendors: Mapping[str, str | None],
            templates: Mapping[str, Any], namespace: str | None, now: datetime | None) -> Iterator[Problem]:
    vendor, problems = _vendor_of(stream, path, vendors)
    yield from problems
    if vendor is None:
        return
    provider = stream["provider"]
    yield from _only_keys(stream, path, vendor, STREAM_ONLY, "streams", provider)
    keys = STREAM_ONLY[vendor]
    yield from _required(stream, path, keys, f"{VENDOR_WORD[vendor]} streams need "
                         f"{', '.join(keys[:-1])} and {keys[-1]}")
    snapshots = stream.get("snapshots")
    if not isinstance(snapshots, Mapping):
        return
    for name, snap in snapshots.items():
        if isinstance(snap, Mapping):
            spath = (*path, "snapshots", name)
            yield from _only_keys(snap, spath, vendor, SNAPSHOT_ONLY, "snapshots", provider)
            yield from _template_ref(snap, spath, vendor=vendor, provider=provider, templates=templates)
            yield from _timing(snap, spath, vendor=vendor, now=now)
            if vendor == "alibaba" and namespace:
                yield from _job_name(namespace, str(path[-1]), name, spath)
    if vendor == "tencent":
        yield from _overlaps(snapshots, path)


def _template_ref(snap: Mapping[str, Any], path: ManifestPath, *, vendor: str, provider: str,
                  templates: Mapping[str, Any]) -> Iterator[Problem]:
    ref = snap.get("template")
    if isinstance(ref, str):
        if ref not in templates:
            yield _err((*path, "template"), f"undefined template {ref!r} (defined: {_names(templates)}); "
                       "for a template livesnap does not manage write {id: <remote id>}")
        elif templates[ref].get("provider") != provider and isinstance(templates[ref].get("provider"), str):
            yield _err((*path, "template"), f"template {ref!r} is on provider {templates[ref]['provider']!r} "
                       f"but this stream uses provider {provider!r}")
    elif isinstance(ref, Mapping) and vendor == "tencent":
        remote_id = ref.get("id")
        if isinstance(remote_id, str):
            yield _err((*path, "template", "id"), "Tencent template ids are integers (e.g. {id: 12345})")


def _timing(snap: Mapping[str, Any], path: ManifestPath, *, vendor: str, now: datetime | None
            ) -> Iterator[Problem]:
    has_window, has_schedule = "window" in snap, "schedule" in snap
    if has_window and has_schedule:
        yield _err((*path, "schedule"), "use either window or schedule, not both", on_key=True)
    elif vendor == "tencent" and not (has_window or has_schedule):
        yield _err(path, "Tencent snapshots need 'window' or 'schedule' (tasks are time-bounded)", on_key=True)
    for where, message, severity in (*timespec.check_window(snap.get("window"), (*path, "window"), now=now),
                                     *timespec.check_schedule(snap.get("schedule"), (*path, "schedule"), now=now)):
        yield where, message, severity, False


def _job_name(namespace: str, stream: str, snapshot: str, path: ManifestPath) -> Iterator[Problem]:
    name = f"{job_name_prefix(namespace)}{stream}/{snapshot}/xxxxxxxx"
    if len(name) > ICE_JOB_NAME_MAX:
        yield _err(path, f"the ICE job name {job_name_prefix(namespace)}{stream}/{snapshot}/<digest> would be {len(name)} "
                   f"characters; the limit is {ICE_JOB_NAME_MAX} (shorten the stream or snapshot name)", on_key=True)


def _overlaps(snapshots: Mapping[str, Any], path: ManifestPath) -> Iterator[Problem]:
    clash = timespec.worst_overlap(timespec.tencent_spans(snapshots))
    if clash:
        instant, names, trigger = clash
        where = (*path, "snapshots", trigger)
        yield _err(where, f"more than {timespec.MAX_TENCENT_OVERLAP} snapshots overlap on this Tencent stream "
                   f"at {instant:%Y-%m-%dT%H:%MZ} ({', '.join(names)}); Tencent runs at most "
                   f"{timespec.MAX_TENCENT_OVERLAP} tasks per stream at once", on_key=True)
