"""What every vendor's expansion shares: error wrapping, the per-stream result, template references.

Expansion runs on manifests the validator has accepted, but it must still never leak a raw
``KeyError``/``ValueError`` traceback: `at` turns them into a `ManifestError` naming the manifest
path. Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from livesnap_reconcile.core.names import template_address
from livesnap_reconcile.core.timeutil import DAY
from livesnap_reconcile.errors import ManifestError
from livesnap_reconcile.resources import DeferredSummary, Resource, template_id, template_ref

# Schedule occurrences starting later than this are not listed at all (not even as deferred).
SCHEDULE_LOOKAHEAD = 14 * DAY

# A plan lists at most this many deferred occurrences (the earliest); the rest are counted in a
# `DeferredSummary`, so a window to the year 9999 costs as much as one of a few days.
DEFERRED_LISTED = 100

# The documented bound on desired objects in one plan (README "Limits"): beyond it expansion stops
# with a ManifestError instead of letting a manifest take gigabytes.
MAX_DESIRED_OBJECTS = 250_000


def at(path: str) -> _At:
    """Report a malformed value below ``path`` as a ManifestError instead of a traceback."""
    return _At(path)


class _At:
    # A plain class, not @contextmanager: expansion enters one per snapshot and timing, hundreds
    # of thousands in a fleet, and a generator-based manager costs several times more each.
    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        self.path = path

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: object) -> Literal[False]:
        if exc is None or isinstance(exc, ManifestError):
            return False
        if isinstance(exc, KeyError):
            raise ManifestError(f"{self.path}: missing required field {exc.args[0]!r}") from None
        if isinstance(exc, ValueError | TypeError | AttributeError):
            raise ManifestError(f"{self.path}: {exc}") from None
        return False


# A deferred occurrence as expansion collects it: (not_before, address, provider, start, end).
# Fleets defer tens of thousands of them and a plan lists the earliest 100 (`DEFERRED_LISTED`),
# so only those become `Deferred` objects; the tuple's order is the listing order.
DeferredRow = tuple[int, str, str, int, int]


@dataclass
class StreamExpansion:
    """What one stream contributes: desired resources, deferred occurrences, future change instants."""

    resources: list[Resource] = field(default_factory=list)
    deferred: list[DeferredRow] = field(default_factory=list)
    changes: list[int] = field(default_factory=list)
    unlisted: DeferredSummary | None = None  # deferred occurrences counted, not built


def template_reference(value: Any) -> tuple[dict[str, str], tuple[str, ...]]:
    """A snapshot's ``template`` -> (TemplateRef attribute, depends_on)."""
    if isinstance(value, Mapping):
        return template_id(str(value["id"])), ()
    address = template_address(str(value))
    return template_ref(address), (address,)


def protected(stream: Mapping[str, Any], snapshot: Mapping[str, Any]) -> bool:
    return bool(snapshot.get("protect", False) or stream.get("protect", False))
