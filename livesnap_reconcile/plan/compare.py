"""Per-kind comparison rules: which attributes matter, which force a replacement, identity.

Pure functions over the attribute shapes of `livesnap_reconcile.resources`. The planner asks
these questions; it never looks inside attributes itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Attributes that can change in place (templates) or must replace the object (jobs, tasks).
IMMUTABLE: dict[str, tuple[str, ...]] = {
    "template": (),
    "job": ("name", "rtmp_url", "output", "template", "callback_url"),
    # A task's `start` is not compared: an in-progress occurrence is created "from now", so its
    # recorded start is later than the scheduled one and must never cause perpetual drift.
    "task": ("domain", "app", "stream", "end", "template", "scheduled_start"),
}

# Keys that only the desired side carries, or that are observed rather than configured.
_IGNORED: dict[str, frozenset[str]] = {
    "template": frozenset(),
    "job": frozenset({"status"}),
    "task": frozenset({"start", "scheduled_start"}),
}


def comparable(kind: str, attributes: Mapping[str, Any] | None) -> dict[str, Any]:
    if not attributes:
        return {}
    ignored = _IGNORED.get(kind, frozenset())
    return {k: v for k, v in attributes.items() if k not in ignored}


def changed_paths(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> tuple[str, ...]:
    """Dotted paths of the attributes that differ (``output.bucket``), sorted."""
    if before == after:
        return ()
    # Imported here: deepdiff costs ~100 ms of start-up, and a plan without changes never needs it.
    from deepdiff import DeepDiff

    diff = DeepDiff(dict(before or {}), dict(after or {}))
    return tuple(sorted({_dotted(p) for p in diff.affected_paths}))


def _dotted(path: Any) -> str:
    text = str(path).removeprefix("root")
    parts = [p.strip("'\"") for p in text.replace("]", "").split("[") if p]
    return ".".join(parts)


def attribute_diff(kind: str, before: Mapping[str, Any] | None,
                   after: Mapping[str, Any] | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(changed paths, the subset that forces replacement) between recorded and desired."""
    if before == after:
        return (), ()  # the common case at scale: skip building the comparable copies
    b, a = comparable(kind, before), comparable(kind, after)
    if kind == "task":
        # scheduled_start is part of the address; compare it only when both sides know it.
        if "scheduled_start" in (before or {}) and "scheduled_start" in (after or {}):
            b["scheduled_start"], a["scheduled_start"] = before["scheduled_start"], after["scheduled_start"]  # type: ignore[index]
    paths = changed_paths(b, a)
    immutable = IMMUTABLE.get(kind, ())
    forcing = tuple(p for p in paths if p.split(".", 1)[0] in immutable)
    return paths, forcing


def same_object(kind: str, recorded: Mapping[str, Any], remote: Mapping[str, Any]) -> tuple[str, ...]:
    """Paths where the remote object differs from what state recorded (drift), ignoring status."""
    if recorded == remote:
        return ()
    b, a = comparable(kind, recorded), comparable(kind, remote)
    if kind == "task":
        b.pop("scheduled_start", None)
        a.pop("scheduled_start", None)
    return changed_paths(b, a)


def identity(kind: str, attributes: Mapping[str, Any]) -> tuple[Any, ...]:
    """The key that adoption matches on (DESIGN.md §3)."""
    if kind == "template":
        return (attributes.get("name"),)
    if kind == "job":
        return (attributes.get("name"),)
    template = attributes.get("template") or {}
    return (attributes.get("domain"), attributes.get("app"), attributes.get("stream"),
            attributes.get("end"), template.get("id"))
