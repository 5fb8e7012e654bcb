"""Words, times, grouping and totals shared by the plan renderers (text, summary, markdown, drift).

Renderers draw from the versioned machine format, never from richer in-memory data: `canonical`
passes a plan through its own document (`Plan.to_dict` / `Plan.from_dict`), so whatever the
document does not carry cannot appear in any rendering, and `livesnap show plan.json` prints exactly
what `livesnap plan` printed. This module must not plan, read the clock or do any I/O: "now" is a
parameter, and only for relative phrases such as "(in 2h 5m)".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from livesnap_reconcile.core.reasons import WAITING
from livesnap_reconcile.plan.model import Action, Change, Drift, Plan, stream_of
from livesnap_reconcile.vendors import spec

# Attribute keys holding Unix seconds, shown as ISO UTC to people.
TIME_KEYS = frozenset({"start", "end", "scheduled_start"})

TEMPLATES_GROUP = ""  # group key of templates; streams use their own name
TEMPLATES_LABEL = "snapshot templates"

NO_CHANGES = "No changes. Remote snapshot jobs match the manifest."
NO_DRIFT = "No drift: remote objects match the state."
SHOW_HINT = "run `livesnap show plan.json` for the full plan"

_ANSI = {"green": "32", "yellow": "33", "red": "31", "cyan": "36", "bold": "1"}
_SYMBOL_COLOUR = {"+": "green", "~": "yellow", "-": "red", "<=": "cyan", "?": "cyan"}

_VERBS = {
    Action.CREATE: "will be created",
    Action.UPDATE: "will be updated in place",
    Action.REPLACE: "must be replaced",
    Action.DELETE: "will be deleted",
    Action.START: "will be started",
    Action.STOP: "will be stopped",
    Action.RESTART: "will be restarted",
    Action.ADOPT: "will be adopted (already exists remotely; recorded in state, no vendor write but a start or stop to its desired status)",
    Action.FORGET: "will be forgotten (no vendor call)",
}

DRIFT_PHRASES = {
    "deleted": "has been deleted",
    "stopped": "has been stopped",
    "paused": "has been paused",
    "started": "has been started",
    "modified": "has been modified",
    "unexpected": "exists remotely but is not in state",
}


def canonical(plan: Plan) -> Plan:
    """The plan as its saved document would give it back (see the module docstring)."""
    return Plan.from_dict(plan.to_dict())


def paint(text: str, colour: str | None, *, color: bool) -> str:
    if not color or not colour or not text:
        return text
    return f"\x1b[{_ANSI[colour]}m{text}\x1b[0m"


def paint_symbol(symbol: str, *, color: bool) -> str:
    """Colour a plan symbol; ``-/+`` is red then green, as in Terraform."""
    if symbol == "-/+":
        return paint("-", "red", color=color) + "/" + paint("+", "green", color=color)
    return paint(symbol, _SYMBOL_COLOUR.get(symbol), color=color)


def iso(ts: int) -> str:
    return datetime.fromtimestamp(int(ts), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def duration(seconds: int) -> str:
    """``2d 3h``, ``2h 5m``, ``45s``: the two largest non-zero units, for people."""
    left = abs(int(seconds))
    parts = []
    for name, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if left >= size:
            parts.append(f"{left // size}{name}")
            left %= size
    return " ".join(parts[:2]) or "0s"


def when(ts: int, now: int | None) -> str:
    """ISO time, with "(in 2h 5m)" / "(5m ago)" when ``now`` is given."""
    if now is None:
        return iso(ts)
    delta = int(ts) - int(now)
    if delta == 0:
        return f"{iso(ts)} (now)"
    return f"{iso(ts)} (in {duration(delta)})" if delta > 0 else f"{iso(ts)} ({duration(delta)} ago)"


def plural(n: int, singular: str, many: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (many or singular + 's')}"


def verb(change: Change) -> str:
    # An undeletable object removed from the manifest is stopped and forgotten.
    kind = spec(change.kind)
    if change.action is Action.DELETE and not kind.deletable:
        return f"will be {kind.retire_verb} ({kind.retire_note})"
    return _VERBS[change.action]


def sort_changes(changes: Iterable[Change]) -> list[Change]:
    return sorted(changes, key=lambda c: (c.address, c.action.value))


def group_by_stream(changes: Iterable[Change]) -> list[tuple[str, list[Change]]]:
    """Changes grouped by stream, templates first, each group sorted by address."""
    groups: dict[str, list[Change]] = {}
    for change in sort_changes(changes):
        groups.setdefault(stream_of(change.address), []).append(change)
    return sorted(groups.items(), key=lambda kv: (kv[0] != TEMPLATES_GROUP, kv[0]))


def group_label(key: str) -> str:
    return TEMPLATES_LABEL if key == TEMPLATES_GROUP else key


def totals_phrase(plan: Plan) -> str:
    """``3 to add, 1 to change, 0 to destroy`` (+ adopt/forget when non-zero), or ``no changes``."""
    if not plan.has_changes:
        return "no changes"
    counts = plan.counts()
    phrase = f"{counts['add']} to add, {counts['change']} to change, {counts['destroy']} to destroy"
    extra = [f"{counts[k]} to {k}" for k in ("adopt", "forget") if counts[k]]
    return phrase + ("; " + ", ".join(extra) if extra else "")


def totals_line(plan: Plan) -> str:
    if not plan.has_changes:
        return NO_CHANGES
    if plan.housekeeping_only:
        n = len(plan.changes)
        return (f"No changes. Housekeeping only: {plural(n, 'ended occurrence')} will be forgotten by the next "
                "apply (no vendor call).")
    counts = plan.counts()
    line = f"Plan: {counts['add']} to add, {counts['change']} to change, {counts['destroy']} to destroy."
    extra = [f"{counts[k]} to {k}" for k in ("adopt", "forget") if counts[k]]
    return line + (" " + ", ".join(extra) + "." if extra else "")


def targeting_line(plan: Plan) -> str | None:
    """Terraform's warning for a narrowed plan: what it covers, and that the rest may differ."""
    if not plan.targets and not plan.excludes:
        return None
    parts = []
    if plan.targets:
        parts.append("only " + ", ".join(plan.targets) + " and what they depend on")
    if plan.excludes:
        parts.append("without " + ", ".join(plan.excludes))
    return (f"Warning: this plan is narrowed by --target/--exclude ({'; '.join(parts)}); the rest of the "
            "manifest may still differ from what the vendors hold. Run without them before relying on it.")


def deferred_line(plan: Plan, now: int | None = None) -> str | None:
    if not plan.deferred:
        return None
    first = min(plan.deferred, key=lambda d: (d.not_before, d.address))
    n = plan.deferred_count
    verb_ = "is" if n == 1 else "are"
    last = f"; the last from {when(plan.deferred_summary.last, now)}" if plan.deferred_summary else ""
    return (
        f"{plural(n, 'occurrence')} {verb_} beyond the vendor's 7-day horizon and will be created by a "
        f"later run (next: {first.address} at {when(first.not_before, now)}{last})."
    )


def next_change_line(plan: Plan, now: int | None = None) -> str | None:
    if plan.next_change_at is None:
        return None
    return f"Desired state next changes at {when(plan.next_change_at, now)}; run apply again then."


WAITING_TITLE = "Waiting for something outside livesnap (not drift)"


def waiting(plan: Plan) -> list[Change]:
    """Changes that retry an object waiting on something outside livesnap (a stream to go live)."""
    return sort_changes(c for c in plan.changes if c.reason_code in WAITING)


def drift_verdict(drift: Sequence[Drift]) -> str:
    if not drift:
        return NO_DRIFT
    n = len(drift)
    return f"{plural(n, 'object')} changed outside livesnap."


def drift_phrase(item: Drift) -> str:
    return DRIFT_PHRASES.get(item.what, f"changed outside livesnap ({item.what})")


# Drift grouped "by what changed" for `livesnap drift`; unknown words land in "other".
DRIFT_GROUPS: tuple[tuple[str, frozenset[str]], ...] = (
    ("Deleted", frozenset({"deleted"})),
    ("Stopped or paused", frozenset({"stopped", "paused"})),
    ("Started", frozenset({"started"})),
    ("Modified", frozenset({"modified"})),
    ("Unexpected objects carrying our namespace", frozenset({"unexpected"})),
)


def group_drift(drift: Iterable[Drift]) -> list[tuple[str, list[Drift]]]:
    items = sorted(drift, key=lambda d: (d.address, d.what))
    known = set().union(*(whats for _, whats in DRIFT_GROUPS))
    groups = [(title, [d for d in items if d.what in whats]) for title, whats in DRIFT_GROUPS]
    groups.append(("Other", [d for d in items if d.what not in known]))
    return [(title, members) for title, members in groups if members]


_PATH_PART = re.compile(r"\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]")


def path_keys(path: str) -> tuple[str, ...]:
    """``root['output']['bucket']`` (deepdiff) or ``output.bucket`` -> ``("output", "bucket")``."""
    if path.startswith("root"):
        return tuple(m.group(1) if m.group(1) is not None else m.group(2) for m in _PATH_PART.finditer(path))
    return tuple(p for p in path.split(".") if p)
