"""Two timed snapshots whose tasks Tencent cannot tell apart: the validator's warning.

A screenshot task carries no name, only what it captures (domain, app, stream, end, template:
`vendors.tencent.task.TaskSpec.identity`). Two snapshots on one stream with one template whose
occurrences end at the same instant make tasks that only their start could separate, and an
occurrence in progress starts "now". livesnap still keeps one task per address (creates of one
identity run one at a time; see `apply.applier`), but the pair takes every frame twice and
anyone reading the vendor's list cannot say which task is which. Pure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from livesnap_reconcile.vendors.manifest_rules import Path, Problem
from livesnap_reconcile.vendors.tencent.overlap import tencent_spans


def colliding_snapshots(streams: Mapping[str, Mapping[str, Any]]) -> Iterator[Problem]:
    groups: dict[tuple[str, ...], list[tuple[str, str, Mapping[str, Any]]]] = defaultdict(list)
    for stream_name, stream in streams.items():
        snapshots = stream.get("snapshots")
        if not isinstance(snapshots, Mapping):
            continue
        for snap_name, snap in snapshots.items():
            if isinstance(snap, Mapping) and ("window" in snap or "schedule" in snap) and "template" in snap:
                key = (str(stream.get("provider")), str(stream.get("domain")), str(stream.get("app")),
                       str(stream.get("stream")), repr(snap.get("template")))
                groups[key].append((stream_name, str(snap_name), snap))
    for members in groups.values():
        for i, (stream_b, snap_b, b) in enumerate(members):
            for stream_a, snap_a, a in members[:i]:
                spans = tencent_spans({"a": a, "b": b})
                common = {end for _, end in spans.get("a", [])} & {end for _, end in spans.get("b", [])}
                if common:
                    yield _warning(("streams", stream_b, "snapshots", snap_b), f"task.{stream_b}.{snap_b}[…]",
                                   f"task.{stream_a}.{snap_a}[…]", min(common).strftime("%Y-%m-%dT%H:%MZ"))
                    break


def _warning(path: Path, mine: str, theirs: str, instant: str) -> Problem:
    return (path, f"{mine} and {theirs} capture the same stream with the same template and both end at "
            f"{instant}: Tencent tasks carry no name, so the two cannot be told apart remotely (each still gets "
            "its own task, created one after the other); every frame is taken twice", "warning", True)
