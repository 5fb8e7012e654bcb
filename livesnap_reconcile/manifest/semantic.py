"""Semantic manifest rules: what the JSON Schema cannot say because it needs the vendor or a reference.

Owns the walk over providers, templates and streams, references to providers and templates,
keys that belong to another vendor, endpoint schemes and the time rules (via `core.timespec`).
What each vendor adds (ranges, formats, name limits, its own rules over a stream's snapshots) is
declared by the vendor (`livesnap_reconcile.vendors`) and asked here. Every check is defensive
about types: a value of the wrong type was already reported by the schema and is skipped here.
Returns ``(path, message, severity, on_key)`` problems; the caller locates and de-duplicates them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from livesnap_reconcile.core import timespec
from livesnap_reconcile.loopback import is_loopback
from livesnap_reconcile.manifest.credentials import MESSAGE as CREDENTIALS_MESSAGE
from livesnap_reconcile.manifest.diagnostics import ManifestPath
from livesnap_reconcile.vendors import rules, vendor_names
from livesnap_reconcile.vendors.manifest_rules import ManifestRules, err, required

Problem = tuple[ManifestPath, str, str, bool]  # path, message, severity, locate on the key
_err = err


def check(data: Mapping[str, Any], *, now: datetime | None) -> Iterator[Problem]:
    providers = _section(data, "providers")
    # A provider with a bad vendor is known (no "undefined" message) but has no vendor (None).
    raw = data.get("providers")
    raw = raw if isinstance(raw, Mapping) else {}
    vendors = {name: _vendor_word(p) for name, p in raw.items()}
    namespace = data.get("namespace") if isinstance(data.get("namespace"), str) else None
    for name, provider in providers.items():
        yield from _provider(provider, ("providers", name))
        if vendors.get(name):
            yield from _only_keys(provider, ("providers", name), str(vendors[name]), "provider_only", "providers", name)
    templates = _section(data, "templates")
    for name, template in templates.items():
        yield from _template(template, ("templates", name), vendors, namespace)
    streams = _section(data, "streams")
    for name, stream in streams.items():
        yield from _stream(stream, ("streams", name), vendors=vendors, templates=templates,
                           namespace=namespace, now=now)
    for vendor in vendor_names():
        mine = {name: s for name, s in streams.items() if _vendor_of(s, ("streams", name), vendors)[0] == vendor}
        yield from rules(vendor).check_streams(mine)


def _vendor_word(provider: object) -> str | None:
    vendor = provider.get("vendor") if isinstance(provider, Mapping) else None
    return vendor if isinstance(vendor, str) and vendor in vendor_names() else None


def _section(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return {k: v for k, v in value.items() if isinstance(v, Mapping)} if isinstance(value, Mapping) else {}


def _provider(provider: Mapping[str, Any], path: ManifestPath) -> Iterator[Problem]:
    endpoint = provider.get("endpoint")
    if isinstance(endpoint, str) and "@" in urlsplit(endpoint).netloc:
        # http://AKID:secret@host would put keys into plans, state and logs: same rule as secret keys.
        yield _err((*path, "endpoint"), f"{CREDENTIALS_MESSAGE} (remove the user:password@ part of the endpoint)")
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


def _only_keys(node: Mapping[str, Any], path: ManifestPath, vendor: str, field: str,
               noun: str, provider: str) -> Iterator[Problem]:
    """Keys another vendor's ``noun`` have (``field`` names the list on `ManifestRules`)."""
    if _foreign_keys(vendor, field).isdisjoint(node):
        return  # the usual case, told by one set operation per node of a fleet
    for other in vendor_names():
        if other == vendor:
            continue
        for key in getattr(rules(other), field):
            if key in node:
                yield _err((*path, key), f"{key!r} is only valid on {rules(other).word} {noun}; provider "
                           f"{provider!r} is {vendor}", on_key=True)


@cache
def _foreign_keys(vendor: str, field: str) -> frozenset[str]:
    return frozenset(key for other in vendor_names() if other != vendor for key in getattr(rules(other), field))


def _template(template: Mapping[str, Any], path: ManifestPath, vendors: Mapping[str, str | None],
              namespace: str | None) -> Iterator[Problem]:
    vendor, problems = _vendor_of(template, path, vendors)
    yield from problems
    if vendor is None:
        return
    yield from _only_keys(template, path, vendor, "template_only", "templates", template["provider"])
    vendor_rules = rules(vendor)
    low, high = vendor_rules.interval
    interval = template.get("interval")
    if isinstance(interval, int) and not isinstance(interval, bool) and not low <= interval <= high:
        yield _err((*path, "interval"), f"interval must be between {low} and {high} seconds for "
                   f"{vendor_rules.word} templates (got {interval})")
    remote = f"{namespace}-{path[-1]}" if namespace else None
    yield from vendor_rules.check_template(template, path, remote)


def _stream(stream: Mapping[str, Any], path: ManifestPath, *, vendors: Mapping[str, str | None],
            templates: Mapping[str, Any], namespace: str | None, now: datetime | None) -> Iterator[Problem]:
    vendor, problems = _vendor_of(stream, path, vendors)
    yield from problems
    if vendor is None:
        return
    provider = stream["provider"]
    vendor_rules = rules(vendor)
    yield from _only_keys(stream, path, vendor, "stream_only", "streams", provider)
    keys = vendor_rules.stream_only
    yield from required(stream, path, keys, f"{vendor_rules.word} streams need "
                        f"{', '.join(keys[:-1])} and {keys[-1]}")
    snapshots = stream.get("snapshots")
    if not isinstance(snapshots, Mapping):
        return
    for name, snap in snapshots.items():
        if isinstance(snap, Mapping):
            spath = (*path, "snapshots", name)
            yield from _only_keys(snap, spath, vendor, "snapshot_only", "snapshots", provider)
            yield from _template_ref(snap, spath, vendor_rules=vendor_rules, provider=provider, templates=templates)
            yield from _timing(snap, spath, now=now)
            yield from vendor_rules.check_snapshot(snap, spath, namespace=namespace, stream=str(path[-1]),
                                                   name=str(name))
    yield from vendor_rules.check_snapshots(snapshots, path)


def _template_ref(snap: Mapping[str, Any], path: ManifestPath, *, vendor_rules: ManifestRules, provider: str,
                  templates: Mapping[str, Any]) -> Iterator[Problem]:
    ref = snap.get("template")
    if isinstance(ref, str):
        if ref not in templates:
            yield _err((*path, "template"), f"undefined template {ref!r} (defined: {_names(templates)}); "
                       "for a template livesnap does not manage write {id: <remote id>}")
        elif templates[ref].get("provider") != provider and isinstance(templates[ref].get("provider"), str):
            yield _err((*path, "template"), f"template {ref!r} is on provider {templates[ref]['provider']!r} "
                       f"but this stream uses provider {provider!r}")
    elif isinstance(ref, Mapping):
        yield from vendor_rules.check_template_id(ref, path)


# Fleets repeat a handful of windows and schedules across thousands of snapshots, and whether one
# has a problem depends on nothing else (and ``now``): those found clean are remembered, bounded.
_CLEAN_TIMINGS: set[str] = set()
_CLEAN_KEPT = 4096


def _timing(snap: Mapping[str, Any], path: ManifestPath, *, now: datetime | None) -> Iterator[Problem]:
    if "window" not in snap and "schedule" not in snap:
        return  # always on: nothing to check
    if "window" in snap and "schedule" in snap:
        yield _err((*path, "schedule"), "use either window or schedule, not both", on_key=True)
    # repr of plain YAML data tells types apart (1, '1', True), so equal keys mean equal inputs.
    key = repr((snap.get("window"), snap.get("schedule"), now))
    if key in _CLEAN_TIMINGS:
        return
    found = [*timespec.check_window(snap.get("window"), (*path, "window"), now=now),
             *timespec.check_schedule(snap.get("schedule"), (*path, "schedule"), now=now)]
    if not found:
        if len(_CLEAN_TIMINGS) >= _CLEAN_KEPT:
            _CLEAN_TIMINGS.clear()
        _CLEAN_TIMINGS.add(key)
    for where, message, severity in found:
        yield where, message, severity, False
