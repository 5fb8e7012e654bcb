"""The plan as data: a closed set of actions, frozen changes, drift and the saved-plan document.

Nothing here plans, renders or executes. `to_dict`/`from_dict` are the only boundary to JSON;
the document shape is `schemas/plan.schema.json`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from livesnap_reconcile.core.reasons import Reason
from livesnap_reconcile.resources import Deferred, DeferredSummary
from livesnap_reconcile.vendors import kinds, spec

# 2: every change carries a reason_code; 3: targets/excludes and deferred_summary; 4: the
# `restart` action and the reason codes `template_updated` and `waiting_for_stream`. Older plans
# are refused with a clear message (saved plans live minutes anyway).
FORMAT_VERSION = 4


class Action(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    REPLACE = "replace"
    DELETE = "delete"
    START = "start"
    STOP = "stop"
    RESTART = "restart"  # stop and start a running object, so it picks up its template's update
    ADOPT = "adopt"
    FORGET = "forget"

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]

    @property
    def writes_vendor(self) -> bool:
        return self not in (Action.ADOPT, Action.FORGET)


_SYMBOLS = {
    Action.CREATE: "+",
    Action.UPDATE: "~",
    Action.REPLACE: "-/+",
    Action.DELETE: "-",
    Action.START: "~",
    Action.STOP: "~",
    Action.RESTART: "~",
    Action.ADOPT: "<=",
    Action.FORGET: "x",
}

# The totals line of every renderer: Terraform's three buckets.
ADDS = {Action.CREATE, Action.REPLACE}
CHANGES = {Action.UPDATE, Action.START, Action.STOP, Action.RESTART}
DESTROYS = {Action.DELETE, Action.REPLACE}


@dataclass(frozen=True, slots=True)  # one per object: a fleet holds hundreds of thousands
class Change:
    """One step of a plan.

    ``before`` is the state/remote attributes (None for create), ``after`` the desired ones (None
    for delete/forget). ``remote_id`` is the object acted on (None for create). ``diff`` lists
    changed attribute paths; ``forces_replacement`` the subset that made this a replace.
    ``depends_on`` names addresses that must succeed first (templates before the jobs/tasks
    using them, and dependents' deletes before a template's delete).
    """

    address: str
    action: Action
    kind: str
    provider: str
    reason: str
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None
    remote_id: str | None = None
    depends_on: tuple[str, ...] = ()
    diff: tuple[str, ...] = ()
    forces_replacement: tuple[str, ...] = ()
    reason_code: Reason = Reason.NOT_IN_STATE

    def to_dict(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "action": self.action.value,
            "kind": self.kind,
            "provider": self.provider,
            "reason": self.reason,
            "reason_code": self.reason_code.value,
            "before": _plain(self.before),
            "after": _plain(self.after),
            "remote_id": self.remote_id,
            "depends_on": list(self.depends_on),
            "diff": list(self.diff),
            "forces_replacement": list(self.forces_replacement),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Change:
        return cls(
            address=d["address"],
            action=Action(d["action"]),
            kind=d["kind"],
            provider=d["provider"],
            reason=d.get("reason", ""),
            reason_code=Reason(d["reason_code"]),
            before=d.get("before"),
            after=d.get("after"),
            remote_id=d.get("remote_id"),
            depends_on=tuple(d.get("depends_on", ())),
            diff=tuple(d.get("diff", ())),
            forces_replacement=tuple(d.get("forces_replacement", ())),
        )


@dataclass(frozen=True, slots=True)  # one per object: a fleet holds hundreds of thousands
class Drift:
    """Something changed outside livesnap: remote differs from what state recorded.

    ``what`` is one of ``deleted``, ``stopped``, ``paused``, ``started``, ``modified``,
    ``unexpected`` (an object carrying our namespace that state does not know).
    """

    address: str
    what: str
    detail: str
    provider: str = ""
    remote_id: str | None = None
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "what": self.what,
            "detail": self.detail,
            "provider": self.provider,
            "remote_id": self.remote_id,
            "before": _plain(self.before),
            "after": _plain(self.after),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Drift:
        return cls(
            address=d["address"],
            what=d["what"],
            detail=d.get("detail", ""),
            provider=d.get("provider", ""),
            remote_id=d.get("remote_id"),
            before=d.get("before"),
            after=d.get("after"),
        )


@dataclass(frozen=True)
class DeferredItem:
    address: str
    start: int
    end: int
    not_before: int

    def to_dict(self) -> dict[str, Any]:
        return {"address": self.address, "start": self.start, "end": self.end, "not_before": self.not_before}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> DeferredItem:
        return cls(address=d["address"], start=d["start"], end=d["end"], not_before=d["not_before"])


@dataclass(frozen=True)
class Plan:
    changes: tuple[Change, ...]
    drift: tuple[Drift, ...] = ()
    # The expander's `resources.Deferred` items are kept as they are (same fields, no copy: at 100k
    # resources a copy of ~90k items is a measurable share of planning); saved plans read back
    # as `DeferredItem`.
    deferred: tuple[DeferredItem | Deferred, ...] = ()
    next_change_at: int | None = None
    # When ``deferred`` lists only the earliest occurrences: all of them, counted.
    deferred_summary: DeferredSummary | None = None
    namespace: str = ""
    lineage: str | None = None
    serial: int = 0
    manifest_digest: str = ""
    created_at: int = 0
    providers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    protected: tuple[str, ...] = ()  # addresses apply must record as protected in state
    manifest_paths: tuple[str, ...] = ()  # as given on the command line, so `apply PLAN` finds state
    sandbox: bool = False
    targets: tuple[str, ...] = ()  # --target / --exclude this plan was narrowed by (empty: the whole manifest)
    excludes: tuple[str, ...] = ()
    format_version: int = FORMAT_VERSION

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)

    @property
    def housekeeping_only(self) -> bool:
        """Every change only forgets an object that expired by itself (an ended occurrence).

        Time-bounded objects end after every window: that is bookkeeping, not a change to review,
        so `plan --detailed-exitcode` does not report it as one (the next apply still records it).
        """
        return bool(self.changes) and all(
            c.action is Action.FORGET and c.reason_code is Reason.OCCURRENCE_ENDED for c in self.changes)

    @property
    def deferred_count(self) -> int:
        """Every deferred occurrence, listed or only counted."""
        return self.deferred_summary.count if self.deferred_summary else len(self.deferred)

    def counts(self) -> dict[str, int]:
        """Terraform's totals: a replace counts once as add and once as destroy."""
        return {
            "add": sum(1 for c in self.changes if c.action in ADDS),
            "change": sum(1 for c in self.changes if c.action in CHANGES),
            "destroy": sum(1 for c in self.changes if c.action in DESTROYS),
            "adopt": sum(1 for c in self.changes if c.action is Action.ADOPT),
            "forget": sum(1 for c in self.changes if c.action is Action.FORGET),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": self.format_version,
            "namespace": self.namespace,
            "lineage": self.lineage,
            "serial": self.serial,
            "manifest_digest": self.manifest_digest,
            "created_at": self.created_at,
            "next_change_at": self.next_change_at,
            "providers": {k: dict(v) for k, v in sorted(self.providers.items())},
            "protected": list(self.protected),
            "manifest_paths": list(self.manifest_paths),
            "sandbox": self.sandbox,
            "targets": list(self.targets),
            "excludes": list(self.excludes),
            "summary": self.counts(),
            "changes": [c.to_dict() for c in self.changes],
            "drift": [d.to_dict() for d in self.drift],
            "deferred": [{"address": d.address, "start": d.start, "end": d.end, "not_before": d.not_before}
                         for d in self.deferred],
            "deferred_summary": None if self.deferred_summary is None else {
                "count": self.deferred_summary.count, "first": self.deferred_summary.first,
                "last": self.deferred_summary.last},
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Plan:
        return cls(
            changes=tuple(Change.from_dict(c) for c in d.get("changes", ())),
            drift=tuple(Drift.from_dict(x) for x in d.get("drift", ())),
            deferred=tuple(DeferredItem.from_dict(x) for x in d.get("deferred", ())),
            deferred_summary=_summary(d.get("deferred_summary")),
            next_change_at=d.get("next_change_at"),
            namespace=d.get("namespace", ""),
            lineage=d.get("lineage"),
            serial=d.get("serial", 0),
            manifest_digest=d.get("manifest_digest", ""),
            created_at=d.get("created_at", 0),
            providers=d.get("providers", {}),
            protected=tuple(d.get("protected", ())),
            manifest_paths=tuple(d.get("manifest_paths", ())),
            sandbox=bool(d.get("sandbox", False)),
            targets=tuple(d.get("targets", ())),
            excludes=tuple(d.get("excludes", ())),
            format_version=d.get("format_version", FORMAT_VERSION),
        )


def _plain(value: Any) -> Any:
    """Deep-copy mappings/sequences into plain dicts/lists for JSON."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def stream_of(address: str) -> str:
    """The stream an address belongs to (``job.<stream>.<snap>``, ``task.<stream>.<snap>[..]``)."""
    kind, _, rest = address.partition(".")
    if kind in kinds() and spec(kind).per_stream:
        return rest.split(".", 1)[0]
    return ""


def _summary(d: Mapping[str, Any] | None) -> DeferredSummary | None:
    if not d:
        return None
    return DeferredSummary(count=int(d["count"]), first=int(d["first"]), last=int(d["last"]))
