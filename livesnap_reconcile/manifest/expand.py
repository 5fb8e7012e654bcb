"""Pure expansion: validated manifest + ``now`` -> `DesiredState` (DESIGN.md §3).

Owns the composition: providers, templates, Alibaba jobs and Tencent tasks, sorted by address,
the deferred occurrences and ``next_change_at``. Works on the plain, validated, merged manifest
dict (DESIGN.md §2). Must not do I/O or read the clock: ``now`` (Unix seconds, UTC) is a
parameter, so the same inputs always give the same output. How a vendor's snapshots become its
kinds lives in that vendor's folder (``vendors/<vendor>/expand.py``); calendar arithmetic in
`core.schedule`; time parsing in `core.timeutil`.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from typing import Any

from livesnap_reconcile.core.expansion import (
    DEFERRED_LISTED,
    MAX_DESIRED_OBJECTS,
    DeferredRow,
    StreamExpansion,
    at,
)
from livesnap_reconcile.errors import ManifestError
from livesnap_reconcile.manifest.expand_templates import expand_providers, expand_templates
from livesnap_reconcile.resources import Deferred, DeferredSummary, DesiredState, ProviderConfig
from livesnap_reconcile.vendors import rules

__all__ = ["expand"]


def expand(data: Mapping[str, Any], *, now: int) -> DesiredState:
    """The desired resources of ``data`` at ``now``; raises `ManifestError` on malformed input."""
    if not isinstance(data, Mapping):
        raise ManifestError("the manifest must be a mapping")
    if isinstance(now, bool) or not isinstance(now, int):
        raise TypeError("now must be an int of Unix seconds")
    with at("namespace"):
        namespace = str(data["namespace"])
    providers = expand_providers(data.get("providers") or {})
    templates = expand_templates(data.get("templates") or {}, namespace=namespace, providers=providers)
    total = StreamExpansion(resources=list(templates))
    streams = data.get("streams") or {}
    for stream_name in sorted(streams):
        part = _expand_stream(stream_name, streams[stream_name], namespace=namespace, providers=providers, now=now)
        total.resources.extend(part.resources)
        total.deferred.extend(part.deferred)
        total.changes.extend(part.changes)
        if part.unlisted is not None:
            total.unlisted = part.unlisted.merge(total.unlisted)
        if len(total.resources) > MAX_DESIRED_OBJECTS:
            raise ManifestError(
                f"the manifests ask for more than {MAX_DESIRED_OBJECTS:,} desired objects inside the vendor "
                f"horizon (reached at streams.{stream_name}), the limit per plan: split them across "
                "several state files (--state) or shorten windows and schedules")
    _check_unique(total)
    future = [t for t in total.changes if t > now]
    listed, summary = _bound_deferred(total.deferred, total.unlisted)
    return DesiredState(
        namespace=namespace,
        providers=providers,
        resources=tuple(sorted(total.resources, key=lambda r: r.address)),
        deferred=tuple(sorted(listed, key=lambda d: d.address)),
        next_change_at=min(future) if future else None,
        deferred_summary=summary,
    )


def _bound_deferred(rows: list[DeferredRow],
                    unlisted: DeferredSummary | None) -> tuple[list[Deferred], DeferredSummary | None]:
    """At most `DEFERRED_LISTED` deferred occurrences (the earliest), and a summary of all when cut."""
    summary = unlisted
    if unlisted is None and len(rows) <= DEFERRED_LISTED:
        listed = rows
    else:
        listed = heapq.nsmallest(DEFERRED_LISTED, rows)  # rows order by (not_before, address)
        if rows:
            summary = DeferredSummary(count=len(rows), first=listed[0][0],
                                      last=max(row[0] for row in rows)).merge(unlisted)
    return [Deferred(address=address, provider=provider, start=start, end=end, not_before=ready)
            for ready, address, provider, start, end in listed], summary


def _expand_stream(
    stream_name: str,
    stream: Mapping[str, Any],
    *,
    namespace: str,
    providers: Mapping[str, ProviderConfig],
    now: int,
) -> StreamExpansion:
    with at(f"streams.{stream_name}"):
        vendor = providers[stream["provider"]].vendor
    return rules(vendor).expand_stream(stream_name, stream, namespace=namespace, now=now)


def _check_unique(total: StreamExpansion) -> None:
    # Names with dots or brackets could make two objects spell the same address; the validator
    # should have refused them, but a silent collision would make the planner lose one.
    addresses = [r.address for r in total.resources] + [row[1] for row in total.deferred]
    if len(set(addresses)) == len(addresses):
        return  # the usual case, told by one set built in C; the loop below names the first repeat
    seen: set[str] = set()
    for address in addresses:
        if address in seen:
            raise ManifestError(f"two desired objects share the address {address}")
        seen.add(address)
