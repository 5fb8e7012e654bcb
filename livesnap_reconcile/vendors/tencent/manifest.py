"""Tencent Live's part of the manifest language: COS output, text rules, rules and tasks, overlap.

A snapshot with a window or schedule becomes screenshot tasks (at most three at once per stream);
one without is always on and becomes a snapshot rule (``scope: app`` for every stream of the app).
A domain binds at most one template, and the vendor keeps one rule per domain, app and stream.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from livesnap_reconcile.vendors.manifest_rules import ManifestRules, Path, Problem, err, required
from livesnap_reconcile.vendors.tencent.overlap import (
    MAX_TENCENT_OVERLAP,
    most_at_once,
    tencent_spans,
    worst_overlap,
)
from livesnap_reconcile.vendors.tencent.twins import colliding_snapshots

if TYPE_CHECKING:  # expansion (and its resources) is not loaded to validate
    from livesnap_reconcile.core.expansion import StreamExpansion

DEFAULT_REGION = "ap-guangzhou"  # for a provider that names none
TENCENT_NAME_BYTES = 255
TENCENT_DESCRIPTION_BYTES = 1024
# Letters, digits, "_", "-" and CJK Unified Ideographs. Checked by hand: a regex class over the
# CJK range costs a millisecond to compile, a tenth of what `livesnap validate` adds to Python.
_TENCENT_ASCII = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _tencent_text(text: str) -> bool:
    return all(c in _TENCENT_ASCII or "\u4e00" <= c <= "\u9fff" for c in text)


class TencentRules(ManifestRules):
    vendor = "tencent"
    word = "Tencent"
    interval = (2, 300)
    template_only = ("width", "height", "porn_flag", "description", "cos")
    stream_only = ("domain", "app", "stream")
    snapshot_only = ("scope",)
    provider_only = ("site",)  # china (default) or international: another host and API set
    default_region = DEFAULT_REGION

    def template_attributes(self, spec: Mapping[str, Any], *, remote_name: str, region: str) -> dict[str, Any]:
        from livesnap_reconcile.vendors.tencent import expand

        return expand.template_attributes(spec, remote_name=remote_name, region=region)

    def expand_stream(self, stream_name: str, stream: Mapping[str, Any], *, namespace: str,
                      now: int) -> StreamExpansion:
        from livesnap_reconcile.vendors.tencent import expand

        return expand.expand_tencent_stream(stream_name, stream, now=now)

    def check_template(self, template: Mapping[str, Any], path: Path, remote_name: str | None) -> Iterator[Problem]:
        yield from required(template, path, ("cos",), "Tencent templates store snapshots in COS")
        description = template.get("description")
        if isinstance(description, str):
            if len(description.encode()) > TENCENT_DESCRIPTION_BYTES:
                yield err((*path, "description"), f"description must be at most {TENCENT_DESCRIPTION_BYTES} bytes")
            if not _tencent_text(description):
                yield err((*path, "description"), "description may contain only letters, digits, Chinese "
                          "characters, '_' and '-' (a Tencent rule)")
        cos = template.get("cos")
        if isinstance(cos, Mapping) and isinstance(cos.get("bucket"), str) and isinstance(cos.get("app_id"), int):
            suffix = f"-{cos['app_id']}"
            if cos["bucket"].endswith(suffix):
                yield err((*path, "cos", "bucket"), f"cos.bucket must not include the {suffix!r} app id suffix; "
                          f"write {cos['bucket'][: -len(suffix)]!r}")
        if remote_name and (len(remote_name.encode()) > TENCENT_NAME_BYTES
                            or not re.match(r"^[A-Za-z0-9_-]+$", remote_name)):
            yield err(path, f"remote template name {remote_name!r} must be at most {TENCENT_NAME_BYTES} bytes of "
                      "letters, digits, '_' and '-'", on_key=True)

    def check_template_id(self, ref: Mapping[str, Any], path: Path) -> Iterator[Problem]:
        if isinstance(ref.get("id"), str):
            yield err((*path, "template", "id"), "Tencent template ids are integers (e.g. {id: 12345})")

    def check_snapshot(self, snap: Mapping[str, Any], path: Path, *, namespace: str | None,
                       stream: str, name: str) -> Iterator[Problem]:
        if "scope" in snap and _timed(snap):
            yield err((*path, "scope"), "scope applies only to always-on snapshots (without window or schedule): "
                      "a snapshot rule covers a whole app, a task one stream", on_key=True)

    def check_snapshots(self, snapshots: Mapping[str, Any], path: Path) -> Iterator[Problem]:
        yield from _double_capture(snapshots, path)
        clash = _clash(snapshots)
        if clash:
            instant, names, trigger = clash
            yield err((*path, "snapshots", trigger), f"more than {MAX_TENCENT_OVERLAP} snapshots overlap on this "
                      f"Tencent stream at {instant:%Y-%m-%dT%H:%MZ} ({', '.join(names)}); Tencent runs at most "
                      f"{MAX_TENCENT_OVERLAP} tasks per stream at once", on_key=True)

    def check_streams(self, streams: Mapping[str, Mapping[str, Any]]) -> Iterator[Problem]:
        yield from colliding_snapshots(streams)
        bound: dict[str, tuple[str, Path]] = {}  # domain -> (template, where it was bound first)
        keys: dict[tuple[str, str, str], Path] = {}
        for where, stream, snap in _always_on(streams):
            domain, template = str(stream.get("domain")), _template_key(snap.get("template"))
            key = (domain, str(stream.get("app")), "" if snap.get("scope") == "app" else str(stream.get("stream")))
            if key in keys:
                yield err(where, f"{_spell(keys[key])} already makes the snapshot rule for domain {key[0]}, app "
                          f"{key[1]}{', stream ' + key[2] if key[2] else ''}; Tencent keeps one rule per domain, "
                          "app and stream", on_key=True)
                continue
            keys[key] = where
            first = bound.setdefault(domain, (template, where))
            if first[0] != template:
                yield err((*where, "template"), f"domain {domain} is already bound to template {first[0]} by "
                          f"{_spell(first[1])}; Tencent binds at most one snapshot template per domain")


# The overlap check samples a year of every schedule: ~0.5 ms a stream, minutes at fleet scale. Its
# answer depends only on the snapshots' names, windows and schedules, which fleets repeat from
# stream to stream, so it is remembered by them (bounded: distinct timings are few, not unbounded).
_CLASHES: dict[str, tuple[datetime, list[str], str] | None] = {}
_CLASHES_KEPT = 4096


def _clash(snapshots: Mapping[str, Any]) -> tuple[datetime, list[str], str] | None:
    # repr of plain YAML data tells types apart (1, '1', True), so equal keys mean equal inputs.
    if most_at_once(snapshots) <= MAX_TENCENT_OVERLAP:
        return None
    key = repr([(name, snap.get("window"), snap.get("schedule")) for name, snap in snapshots.items()
                if isinstance(snap, Mapping)])
    if key not in _CLASHES:
        if len(_CLASHES) >= _CLASHES_KEPT:
            _CLASHES.clear()
        _CLASHES[key] = worst_overlap(tencent_spans(snapshots))
    found = _CLASHES[key]
    return None if found is None else (found[0], list(found[1]), found[2])


def _timed(snap: Mapping[str, Any]) -> bool:
    return "window" in snap or "schedule" in snap


def _template_key(ref: Any) -> str:
    return f"id {ref.get('id')}" if isinstance(ref, Mapping) else repr(ref)


def _spell(path: Path) -> str:
    return ".".join(str(p) for p in path)


def _always_on(streams: Mapping[str, Mapping[str, Any]]) -> Iterator[tuple[Path, Mapping[str, Any], Mapping[str, Any]]]:
    for name in streams:
        snapshots = streams[name].get("snapshots")
        if not isinstance(snapshots, Mapping):
            continue
        for snap_name, snap in snapshots.items():
            if isinstance(snap, Mapping) and not _timed(snap) and "template" in snap:
                yield ("streams", name, "snapshots", snap_name), streams[name], snap


def _double_capture(snapshots: Mapping[str, Any], path: Path) -> Iterator[Problem]:
    """A task with the template of an always-on rule on its stream captures every frame twice."""
    always = {_template_key(s.get("template")): n for n, s in snapshots.items()
              if isinstance(s, Mapping) and not _timed(s) and "template" in s}
    for name, snap in snapshots.items():
        if isinstance(snap, Mapping) and _timed(snap) and _template_key(snap.get("template")) in always:
            rule = always[_template_key(snap.get("template"))]
            yield ((*path, "snapshots", name), f"snapshot {rule!r} on this stream is always on with the same "
                   "template, so while this one runs every snapshot is taken twice", "warning", True)
