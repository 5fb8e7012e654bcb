"""Comparison over the attribute shapes of `livesnap_reconcile.resources`, by each kind's spec.

Which attributes matter, which force a replacement and what identity adoption matches on are
declared by the kind (`livesnap_reconcile.vendors`); this module only diffs. The planner asks
these questions; it never looks inside attributes itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from livesnap_reconcile.vendors import spec


def comparable(kind: str, attributes: Mapping[str, Any] | None) -> dict[str, Any]:
    return spec(kind).comparable(attributes)


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
    kind_spec = spec(kind)
    paths = changed_paths(*kind_spec.compare_pair(before or {}, after or {}))
    forcing = tuple(p for p in paths if p.split(".", 1)[0] in kind_spec.immutable
                    or _cleared(p, kind_spec.unclearable, before or {}, after or {}))
    return paths, forcing


def _cleared(path: str, unclearable: frozenset[str], before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    root = path.split(".", 1)[0]
    return root in unclearable and before.get(root) not in (None, "") and after.get(root) in (None, "")


def replacement_reason(kind: str, forcing: tuple[str, ...]) -> str:
    """Why a change of these paths replaces the object, in a plan's words."""
    immutable = spec(kind).immutable
    fixed = [p for p in forcing if p.split(".", 1)[0] in immutable]
    cleared = [p for p in forcing if p not in fixed]
    parts = (["immutable attribute changed: " + ", ".join(fixed)] if fixed else []) \
        + (["the vendor cannot clear " + ", ".join(cleared) + " in place"] if cleared else [])
    return "; ".join(parts)


def same_object(kind: str, recorded: Mapping[str, Any], remote: Mapping[str, Any]) -> tuple[str, ...]:
    """Paths where the remote object differs from what state recorded (drift), ignoring status."""
    if recorded == remote:
        return ()
    return changed_paths(*spec(kind).drift_pair(recorded, remote))


def identity(kind: str, attributes: Mapping[str, Any]) -> tuple[Any, ...]:
    """The key that adoption matches on (DESIGN.md §3)."""
    return spec(kind).identity(attributes)
