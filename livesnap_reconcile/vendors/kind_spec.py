"""What a resource kind must tell the planner: one `KindSpec` per kind, in its vendor's folder.

The planner, comparison and guards ask these questions instead of branching on kind names, so a
new kind is one spec file and one registration line. The defaults describe the plainest kind: a
deletable object, compared attribute by attribute, updated in place, with no status of its own.
Specs are pure: no I/O, no clock (``now`` is always a parameter).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from livesnap_reconcile.core.reasons import Because, Reason

if TYPE_CHECKING:  # the resource model is not loaded to validate a manifest
    from livesnap_reconcile.resources import RemoteObject

Attributes = Mapping[str, Any]


class Retirement(NamedTuple):
    """How a recorded object that the manifest no longer wants leaves: deleted, or only forgotten."""

    forget: bool
    because: Because


class StatusDrift(NamedTuple):
    """A lifecycle change made outside livesnap (``what`` as in `plan.model.Drift`)."""

    what: str
    detail: str
    final: bool = False  # nothing else about the object is worth comparing


class KindSpec:
    """The plainest kind; subclasses override what differs (see each vendor's folder)."""

    kind: str = ""
    # Attributes that can only change by replacing the object, and those never compared
    # (observed rather than configured, or carried by the desired side only).
    immutable: tuple[str, ...] = ()
    ignored: frozenset[str] = frozenset()
    # Optional attributes the vendor cannot clear in place (an update that leaves one out keeps
    # the old value): removing one replaces the object, instead of an update that never lands.
    unclearable: frozenset[str] = frozenset()
    # Others refer to objects of this kind as ``{"ref": address}`` until their id is known.
    referenced: bool = False
    # The vendor cannot delete it: retiring it stops and forgets it, so a forget destroys.
    deletable: bool = True
    # How a retired object leaves when it cannot be deleted ("stopped"), and why, for plans.
    retire_verb: str = "deleted"
    retire_note: str = ""
    # Desired-only attributes that state keeps beside the observed ones (an occurrence's key).
    desired_only: tuple[str, ...] = ()
    # Addresses of this kind start with the stream they belong to (``kind.<stream>.<name>``).
    per_stream: bool = True
    # What a recorded object's attributes must hold: name -> allowed types (None: may be null).
    # State read from disk is checked against it, so a hand-edited value is a clear error.
    shape: Mapping[str, tuple[type | None, ...]] = {}
    # The attribute holding a reference to a `referenced` object: ``{"ref": address}`` or ``{"id": id}``.
    reference_field: str | None = None
    # Set in state on an object before the update of what it refers to, when that update reaches
    # it only by a restart (see `restart_reason`); the restart's own entry drops it, so a restart
    # that failed or never ran is planned again (None: objects of this kind never restart).
    restart_marker: str | None = None

    def shared_with(self, other: KindSpec) -> KindSpec:
        """The one spec of a kind that two vendors register (the default: the first one's)."""
        return self

    def reference(self, attributes: Attributes) -> Mapping[str, Any]:
        """The reference this object holds (``{}`` for none)."""
        value = attributes.get(self.reference_field) if self.reference_field else None
        return value if isinstance(value, Mapping) else {}

    def with_reference_id(self, attributes: Attributes, remote_id: str) -> dict[str, Any]:
        out = dict(attributes)
        if self.reference_field:
            out[self.reference_field] = {"id": remote_id}
        return out

    def attribute_problem(self, attributes: Attributes) -> str | None:
        """Why recorded ``attributes`` do not fit this kind (the first problem), or None."""
        for name, allowed in self.shape.items():
            if name not in attributes:
                return f"attribute {name!r} is missing"
            value = attributes[name]
            if value is None and None in allowed:
                continue
            types = tuple(t for t in allowed if t is not None)
            if isinstance(value, bool) and bool not in types or not isinstance(value, types):
                words = " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in types)
                return f"attribute {name!r} must be {words}, not {value!r}"[:200]
        return None

    def identity(self, attributes: Attributes) -> tuple[Any, ...]:
        """The key that adoption matches a desired object to an unrecorded remote one on."""
        return (attributes.get("name"),)

    def owner_prefix(self, namespace: str) -> str | None:
        """Name prefix that marks our objects; None when objects of this kind carry no name."""
        return None

    def comparable(self, attributes: Attributes | None) -> dict[str, Any]:
        """The attributes a diff looks at (the ignored ones left out)."""
        return _without(attributes, self.ignored)

    def compare_pair(self, recorded: Attributes, desired: Attributes) -> tuple[dict[str, Any], dict[str, Any]]:
        """The two sides as the diff sees them."""
        return _without(recorded, self.ignored), _without(desired, self.ignored)

    def drift_pair(self, recorded: Attributes, remote: Attributes) -> tuple[dict[str, Any], dict[str, Any]]:
        """Recorded and remote as drift detection sees them."""
        return _without(recorded, self.ignored), _without(remote, self.ignored)

    def ended(self, attributes: Attributes, now: int) -> bool:
        """The object expired by itself (nothing left to manage or report)."""
        return False

    def status_drift(self, recorded: Attributes, obj: RemoteObject, now: int) -> StatusDrift | None:
        return None

    def adoptable(self, obj: RemoteObject, desired: Attributes) -> bool:
        """Whether an unrecorded remote object with the same identity may be taken over."""
        return True

    def adoption_misfit(self, obj: RemoteObject, desired: Attributes) -> int:
        """How far an adoptable object is from ``desired`` (0: exact); the closest one is adopted."""
        return 0

    def retirement(self, recorded: Attributes, obj: RemoteObject | None, *, gone: bool, now: int) -> Retirement:
        if gone:
            return Retirement(True, Because(Reason.DELETED_OUTSIDE, "deleted outside livesnap and no longer desired"))
        return Retirement(False, Because(Reason.REMOVED_FROM_MANIFEST, "removed from the manifest"))

    def replace_reason(self, obj: RemoteObject | None) -> Because | None:
        """A reason to recreate the object whatever its attributes say (e.g. stopped while wanted)."""
        return None

    def status_action(self, current: Attributes, desired: Attributes) -> str | None:
        """``"start"`` or ``"stop"`` when the object's own on/off status must change."""
        return None

    def adopted_status_action(self, obj: RemoteObject, desired: Attributes) -> str | None:
        """``"start"`` or ``"stop"`` an object just adopted (found, not created) needs to be as desired.

        The same answer the planner gives a recorded object (an ICE job still ``init`` is started,
        as a plan would start it), so a found object ends the run as a planned one would.
        """
        return self.status_action(obj.attributes, desired)

    def status_reason(self, recorded: Attributes, obj: RemoteObject | None, desired: Attributes) -> Because:
        return Because(Reason.DESIRED_STATUS, f"desired status is {desired.get('status')}")

    def restart_reason(self, current: Attributes, desired: Attributes, reference: str, *,
                       changed: Sequence[str]) -> Because | None:
        """Why a running object must restart once ``reference`` (the object it refers to) is updated.

        ``changed`` lists the reference's attribute paths the update changes.

        None (the default): an update of the referenced object reaches this one by itself, or it is
        not running. A kind whose objects copy their template's settings when they start says why.
        """
        return None

    def restart_still_due(self, current: Attributes, desired: Attributes, reference: str) -> Because | None:
        """Why an object recorded with `restart_marker` is restarted now (None: it need not be)."""
        return None

    def waiting_note(self, attributes: Attributes) -> str | None:
        """What a recorded object asked to run is waiting for outside livesnap (None: nothing)."""
        return None

    def retired_successor(self, obj: RemoteObject | None) -> bool:
        """The recorded object is a stopped predecessor whose replacement may already exist."""
        return False

    def not_importable(self, obj: RemoteObject) -> str | None:
        """Why an existing object cannot be taken under management (None: it can)."""
        return None

    def unexpected(self, obj: RemoteObject, namespace: str) -> bool:
        """An unrecorded object that carries our namespace and no desired object claims."""
        prefix = self.owner_prefix(namespace)
        return prefix is not None and str(obj.attributes.get("name", "")).startswith(prefix)

    def unexpected_detail(self, obj: RemoteObject) -> str:
        """How a drift report describes such an object (it is never touched)."""
        return f"{self.kind} {obj.attributes.get('name')} carries our namespace but is not in state"


_TYPE_NAMES = {str: "a string", int: "an integer (Unix seconds for times)", Mapping: "an object", bool: "a boolean"}


def _without(attributes: Attributes | None, ignored: frozenset[str]) -> dict[str, Any]:
    return {k: v for k, v in (attributes or {}).items() if k not in ignored}
