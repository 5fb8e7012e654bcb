"""Guards and selection over a computed plan: `protect` (Terraform's prevent_destroy, remembered
in state) and `--target`/`--exclude`. Pure, like the planner that calls them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from livesnap_reconcile.errors import GuardError
from livesnap_reconcile.plan.model import Action, Change, Plan
from livesnap_reconcile.resources import DesiredState
from livesnap_reconcile.vendors import spec

if TYPE_CHECKING:
    from livesnap_reconcile.plan.planner import Recorded



def _matches(address: str, patterns: Sequence[str]) -> bool:
    return any(address == p or address.startswith(p + ".") or address.startswith(p + "[") for p in patterns)


def select(plan: Plan, *, targets: Sequence[str] = (), excludes: Sequence[str] = (),
           known: Iterable[str] = ()) -> Plan:
    """Keep only changes named by ``targets`` (prefixes allowed), plus what they depend on.

    A restart goes with the template update it serves (unless excluded): targeting the template
    alone must not leave running jobs on its old settings, since no later plan would restart them.

    ``known`` is every address the manifest and state name: a pattern matching none of them is a
    typo, refused with the closest addresses, never silently an empty plan.
    """
    if not targets and not excludes:
        return plan
    addresses = sorted(set(known) | {c.address for c in plan.changes})
    for flag, patterns in (("--target", targets), ("--exclude", excludes)):
        for pattern in patterns:
            if not any(_matches(a, [pattern]) for a in addresses):
                close = difflib.get_close_matches(pattern, addresses, n=5, cutoff=0.5)
                hint = f"; close addresses: {', '.join(close)}" if close else ""
                raise GuardError(f"{flag} {pattern} matches no address in the manifests or the state{hint}")
    by_address = {c.address: c for c in plan.changes}
    keep = {a for a in by_address if (not targets or _matches(a, targets)) and not _matches(a, excludes)}
    stack = list(keep)
    while stack:
        for dep in by_address[stack.pop()].depends_on:
            if dep in by_address and dep not in keep:
                keep.add(dep)
                stack.append(dep)
    keep |= {a for a, c in by_address.items() if c.action is Action.RESTART and not _matches(a, excludes)
             and any(dep in keep for dep in c.depends_on)}
    changes = tuple(c for c in plan.changes if c.address in keep)
    return replace(plan, changes=changes, targets=tuple(targets), excludes=tuple(excludes))


def protected_addresses(desired: DesiredState, recorded: Mapping[str, Recorded]) -> set[str]:
    """Protection from the manifest and, remembered, from state (a deleted block stays protected)."""
    out = {e.address for e in recorded.values() if getattr(e, "protect", False)}
    for r in desired.resources:
        if r.protect:
            out.add(r.address)
        else:
            out.discard(r.address)  # `protect: false` in the manifest is how a guard is retired
    return out


def _destroys(change: Change) -> bool:
    if change.action in (Action.DELETE, Action.REPLACE):
        return True
    # An undeletable object (an ICE job) that is already stopped is only forgotten, but forgetting
    # a protected one would silently drop its guard with its block, so it counts as destruction.
    return change.action is Action.FORGET and not spec(change.kind).deletable


def check_guards(plan: Plan, protected: set[str]) -> None:
    """Refuse a plan that would destroy or replace a protected object (Terraform's prevent_destroy).

    Pausing a job the manifest itself asks to pause is not destruction and is allowed.
    """
    bad = [c for c in plan.changes if c.address in protected and _destroys(c)]
    if bad:
        lines = [f"{c.address} is protected (protect: true) but the plan would {c.action.value} it ({c.reason})"
                 for c in bad]
        hint = "set `protect: false` and apply first, or `livesnap state rm` it, to retire a protected object"
        raise GuardError("; ".join(lines) + f". To proceed: {hint}.")


def hold_unavailable(plan: Plan, unavailable: Mapping[tuple[str, str, str], str]) -> tuple[Plan, list[str]]:
    """Leave out changes a provider's account cannot make, and those that depend on them.

    ``unavailable`` maps (provider, kind, action) to why. Returns the plan without them and one line
    per change left out, for the user: the plan says what cannot be done instead of an apply failing.
    State keeps the objects, so once they end by themselves they are forgotten as usual.
    """
    if not unavailable:
        return plan, []
    held: dict[str, str] = {}
    for c in plan.changes:
        why = unavailable.get((c.provider, c.kind, c.action.value))
        if why:
            held[c.address] = f"{c.address} cannot be {_PAST.get(c.action, c.action.value)} ({c.reason}): {why}"
    grew = True
    while grew:
        grew = False
        for c in plan.changes:
            blocker = next((d for d in c.depends_on if d in held), None)
            if c.address not in held and blocker:
                held[c.address] = f"{c.address} is not {_PAST.get(c.action, c.action.value)}: it waits for {blocker}"
                grew = True
    if not held:
        return plan, []
    kept = tuple(c for c in plan.changes if c.address not in held)
    return replace(plan, changes=kept), [held[a] for a in sorted(held)]


_PAST = {Action.DELETE: "deleted", Action.REPLACE: "replaced", Action.CREATE: "created", Action.UPDATE: "updated",
         Action.START: "started", Action.STOP: "stopped"}
