"""Pure planner: desired state + recorded state + refreshed remote objects -> `Plan`.

Set arithmetic in sorted order (STYLE.md, Alembic): desired-only addresses become create or
adopt, recorded-only ones delete or forget, the intersection is compared field by field through
`plan.compare`. Drift (remote differs from what state recorded) is computed separately and
reported as its own list. No I/O, no clock: ``now`` is a parameter.

``remote=None`` means "no refresh": state is taken as the truth about the vendors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any, Protocol

from livesnap_reconcile.core.reasons import Because, Reason
from livesnap_reconcile.plan import compare
from livesnap_reconcile.plan.guards import protected_addresses
from livesnap_reconcile.plan.model import Action, Change, Drift, Plan
from livesnap_reconcile.resources import DesiredState, RemoteObject, Resource
from livesnap_reconcile.vendors import kinds, spec


class Recorded(Protocol):
    """What the planner needs of a state entry (`state.StateEntry` satisfies it)."""

    @property
    def address(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def provider(self) -> str: ...
    @property
    def remote_id(self) -> str: ...
    @property
    def attributes(self) -> Mapping[str, Any]: ...
    @property
    def protect(self) -> bool: ...


def make_plan(desired: DesiredState, recorded: Mapping[str, Recorded],
              remote: Sequence[RemoteObject] | None, *, now: int, lineage: str | None = None,
              serial: int = 0, manifest_digest: str = "",
              providers: Mapping[str, Mapping[str, Any]] | None = None) -> Plan:
    ctx = _Context(desired, recorded, remote, now)
    drift = detect_drift(recorded, remote, now=now)
    changes = ctx.changes()
    changes += ctx.restarts(changes)
    changes = _with_dependencies(changes, recorded)
    drift = drift + ctx.unexpected(changes)
    return Plan(
        changes=tuple(sorted(changes, key=lambda c: c.address)),
        drift=tuple(sorted(drift, key=lambda d: (d.address, d.what))),
        deferred=desired.deferred,
        deferred_summary=desired.deferred_summary,
        next_change_at=desired.next_change_at,
        namespace=desired.namespace,
        lineage=lineage,
        serial=serial,
        manifest_digest=manifest_digest,
        created_at=now,
        providers=dict(providers or {}),
        protected=tuple(sorted(protected_addresses(desired, recorded))),
    )


# --- drift ------------------------------------------------------------------------------------


def detect_drift(recorded: Mapping[str, Recorded], remote: Sequence[RemoteObject] | None, *,
                 now: int) -> list[Drift]:
    """What changed outside livesnap: compares every state entry with its remote object."""
    if remote is None:
        return []
    index: dict[tuple[str, str, str], RemoteObject] = {(r.provider, r.kind, r.remote_id): r for r in remote}
    out: list[Drift] = []
    for address in sorted(recorded):
        entry = recorded[address]
        kind = spec(entry.kind)
        obj = index.get((entry.provider, entry.kind, entry.remote_id))
        if obj is None:
            if not kind.ended(entry.attributes, now):
                out.append(Drift(address, "deleted", f"{entry.kind} {entry.remote_id} no longer exists",
                                 entry.provider, entry.remote_id, dict(entry.attributes), None))
            continue
        status = kind.status_drift(entry.attributes, obj, now)
        if status is not None:
            out.append(Drift(address, status.what, status.detail, entry.provider, entry.remote_id,
                             dict(entry.attributes), dict(obj.attributes)))
            if status.final:
                continue
        paths = compare.same_object(entry.kind, entry.attributes, obj.attributes)
        if paths:
            out.append(Drift(address, "modified", "changed: " + ", ".join(paths), entry.provider,
                             entry.remote_id, dict(entry.attributes), dict(obj.attributes)))
    return out


# --- changes ----------------------------------------------------------------------------------


class _Context:
    def __init__(self, desired: DesiredState, recorded: Mapping[str, Recorded],
                 remote: Sequence[RemoteObject] | None, now: int) -> None:
        self.desired = {r.address: r for r in desired.resources}
        self.namespace = desired.namespace
        self.recorded = recorded
        self.refreshed = remote is not None
        self.now = now
        self.remote_by_id: dict[tuple[str, str, str], RemoteObject] = {
            (r.provider, r.kind, r.remote_id): r for r in (remote or ())}
        # Two providers of one vendor may see the same account (Tencent templates are global; the
        # sandbox is one account), so "is it ours" is decided per vendor, not per provider.
        self.vendor_of = {name: cfg.vendor for name, cfg in desired.providers.items()}
        claimed = {self._owner_key(e.provider, e.kind, e.remote_id) for e in recorded.values()}
        self.unclaimed: dict[tuple[Any, ...], list[RemoteObject]] = defaultdict(list)
        seen: set[tuple[str, str, str]] = set()
        for obj in self.remote_by_id.values():
            key = self._owner_key(obj.provider, obj.kind, obj.remote_id)
            if key not in claimed and key not in seen:
                seen.add(key)
                self.unclaimed[(obj.provider, obj.kind, *compare.identity(obj.kind, obj.attributes))].append(obj)
        self.adopted: set[tuple[str, str, str]] = set()
        # Templates whose id is not known before apply: created (or re-created) in this plan.
        self.pending_templates = {
            a for a, r in self.desired.items()
            if spec(r.kind).referenced and not self._template_usable(a)
        }
        # ... unless this plan adopts an existing one: then its id is known now, and the objects
        # using it can be matched (adopted) too instead of being created a second time.
        self.adopting_ids: dict[str, str] = {}
        for address in sorted(self.pending_templates):
            match = self._find_unclaimed(self.desired[address], self.desired[address].attributes)
            if match is not None:
                self.adopting_ids[address] = match.remote_id
        self.pending_templates -= set(self.adopting_ids)

    def _owner_key(self, provider: str, kind: str, remote_id: str) -> tuple[str, str, str]:
        return (self.vendor_of.get(provider, provider), kind, remote_id)

    def _template_usable(self, address: str) -> bool:
        entry = self.recorded.get(address)
        if entry is None:
            return False
        if self.refreshed and (entry.provider, entry.kind, entry.remote_id) not in self.remote_by_id:
            return False
        return entry.provider == self.desired[address].provider

    def resolve(self, kind: str, attributes: Mapping[str, Any]) -> dict[str, Any]:
        ref = spec(kind).reference(attributes).get("ref")
        if ref in self.adopting_ids:
            return spec(kind).with_reference_id(attributes, self.adopting_ids[ref])
        if ref and ref not in self.pending_templates and ref in self.recorded:
            return spec(kind).with_reference_id(attributes, self.recorded[ref].remote_id)
        return dict(attributes)

    def changes(self) -> list[Change]:
        out: list[Change] = []
        for address in sorted(set(self.desired) | set(self.recorded)):
            d, e = self.desired.get(address), self.recorded.get(address)
            if d is not None and e is None:
                out.append(self._create_or_adopt(d, Because(Reason.NOT_IN_STATE, "not in state")))
            elif d is None and e is not None:
                change = self._retire(e)
                if change:
                    out.append(change)
            elif d is not None and e is not None:
                out.extend(self._compare(d, e))
        return out

    def _create_or_adopt(self, d: Resource, reason: Because) -> Change:
        after = self.resolve(d.kind, d.attributes)
        match = self._find_unclaimed(d, after)
        if match is not None:
            self.adopted.add(self._owner_key(match.provider, match.kind, match.remote_id))
            settle = spec(d.kind).adopted_status_action(match, after)
            then = f"; then {'started' if settle == 'start' else 'stopped'} as desired" if settle else ""
            return Change(d.address, Action.ADOPT, d.kind, d.provider,
                          f"{d.kind} {match.remote_id} already exists remotely{then}", before=dict(match.attributes),
                          after=after, remote_id=match.remote_id, depends_on=d.depends_on,
                          reason_code=Reason.EXISTS_REMOTELY)
        return Change(d.address, Action.CREATE, d.kind, d.provider, reason.text, before=None, after=after,
                      depends_on=d.depends_on, reason_code=reason.code)

    def _find_unclaimed(self, d: Resource, after: Mapping[str, Any]) -> RemoteObject | None:
        if not self.refreshed or "ref" in spec(d.kind).reference(after):
            return None
        key = (d.provider, d.kind, *compare.identity(d.kind, after))
        kind = spec(d.kind)
        candidates = [obj for obj in self.unclaimed.get(key, ())
                      if self._owner_key(obj.provider, obj.kind, obj.remote_id) not in self.adopted
                      and kind.adoptable(obj, after)]
        # One object per address: the closest fit, so a sibling of the same identity keeps its own.
        return min(candidates, key=lambda obj: (kind.adoption_misfit(obj, after), obj.remote_id), default=None)

    def _retire(self, e: Recorded) -> Change | None:
        obj = self.remote_by_id.get((e.provider, e.kind, e.remote_id)) if self.refreshed else None
        gone = self.refreshed and obj is None
        before = dict(obj.attributes) if obj else dict(e.attributes)
        retirement = spec(e.kind).retirement(e.attributes, obj, gone=gone, now=self.now)
        if retirement.forget:
            return _forget(e, retirement.because)
        return Change(e.address, Action.DELETE, e.kind, e.provider, retirement.because.text, before=before,
                      after=None, remote_id=e.remote_id, reason_code=retirement.because.code)

    def _compare(self, d: Resource, e: Recorded) -> list[Change]:
        after = self.resolve(d.kind, d.attributes)
        obj = self.remote_by_id.get((e.provider, e.kind, e.remote_id)) if self.refreshed else None
        if self.refreshed and obj is None:
            return [self._create_or_adopt(d, Because(Reason.DELETED_OUTSIDE, "deleted outside livesnap"))]
        kind = spec(d.kind)
        current = dict(obj.attributes) if obj is not None else dict(e.attributes)
        if "scheduled_start" in e.attributes:  # observed objects do not carry it; the address does
            current.setdefault("scheduled_start", e.attributes["scheduled_start"])
        replace_reason = kind.replace_reason(obj)
        if replace_reason is not None:
            return [Change(d.address, Action.REPLACE, d.kind, d.provider, replace_reason.text,
                           before=current, after=after, remote_id=e.remote_id, depends_on=d.depends_on,
                           reason_code=replace_reason.code)]
        if d.provider != e.provider:
            return [Change(d.address, Action.REPLACE, d.kind, d.provider, "provider changed",
                           before=current, after=after, remote_id=e.remote_id, depends_on=d.depends_on,
                           diff=("provider",), forces_replacement=("provider",),
                           reason_code=Reason.PROVIDER_CHANGED)]
        paths, forcing = compare.attribute_diff(d.kind, current, after)
        if forcing:
            successor = self._replaced_job_successor(d, after, obj)
            if successor is not None:
                return [successor]
            return [Change(d.address, Action.REPLACE, d.kind, d.provider,
                           compare.replacement_reason(d.kind, forcing), before=current, after=after,
                           remote_id=e.remote_id, depends_on=d.depends_on, diff=paths,
                           forces_replacement=forcing, reason_code=Reason.IMMUTABLE_CHANGED)]
        out: list[Change] = []
        if paths:
            drifted = obj is not None and compare.same_object(d.kind, e.attributes, obj.attributes)
            out.append(Change(d.address, Action.UPDATE, d.kind, d.provider,
                              "changed outside livesnap" if drifted else "manifest changed",
                              before=current, after=after, remote_id=e.remote_id, diff=paths,
                              reason_code=Reason.CHANGED_OUTSIDE if drifted else Reason.MANIFEST_CHANGED))
        status = kind.status_action(current, after)
        if status is not None:
            action = Action.START if status == "start" else Action.STOP
            because = kind.status_reason(e.attributes, obj, after)
            out.append(Change(d.address, action, d.kind, d.provider, because.text, before=current, after=after,
                              remote_id=e.remote_id, diff=("status",), reason_code=because.code))
        return out

    def restarts(self, changes: Sequence[Change]) -> list[Change]:
        """Restarts of running objects whose template this plan updates, when their kind needs one.

        Only a change of the manifest counts (desired differs from what state recorded): repairing
        a template edited outside livesnap puts back the settings its running users started with.
        Each restart runs after the update it serves. An object with a change of its own (replace,
        start, stop...) gets none: that change already brings it onto the new template, or off it.
        """
        updated = {c.address: paths for c in changes if spec(c.kind).referenced and c.action is Action.UPDATE
                   and c.address in self.recorded
                   and (paths := compare.attribute_diff(c.kind, self.recorded[c.address].attributes, c.after)[0])}
        due = self._restarts_due()
        if not updated and not due:
            return []
        busy = {c.address for c in changes}
        out: list[Change] = []
        for address in sorted(self.desired):
            d, e = self.desired[address], self.recorded.get(address)
            ref = spec(d.kind).reference(d.attributes).get("ref")
            if (ref not in updated and address not in due) or address in busy or e is None or not ref:
                continue
            obj = self.remote_by_id.get((e.provider, e.kind, e.remote_id)) if self.refreshed else None
            current = dict(obj.attributes) if obj is not None else dict(e.attributes)
            kind = spec(d.kind)
            because = kind.restart_reason(current, d.attributes, ref, changed=updated[ref]) if ref in updated else None
            if because is None and address in due:
                because = kind.restart_still_due(current, d.attributes, ref)
            if because is not None:
                out.append(Change(address, Action.RESTART, d.kind, d.provider, because.text, before=current,
                                  after=self.resolve(d.kind, d.attributes), remote_id=e.remote_id,
                                  depends_on=(ref,), reason_code=because.code))
        return out

    def _restarts_due(self) -> set[str]:
        """Recorded objects an earlier apply marked for a restart it did not complete."""
        markers = {k: m for k in kinds() if (m := spec(k).restart_marker)}
        return {a for a, e in self.recorded.items() if (m := markers.get(e.kind)) and e.attributes.get(m)}

    def _replaced_job_successor(self, d: Resource, after: Mapping[str, Any],
                                obj: RemoteObject | None) -> Change | None:
        """Adopt the successor of a replace that was interrupted after its create.

        An undeletable object stays visible (stopped) after the replace stopped it. If the run died
        before recording the new one, planning another replace would create a second successor of
        the same name: take the existing one instead.
        """
        if obj is None or not spec(d.kind).retired_successor(obj):
            return None
        match = self._find_unclaimed(d, after)
        if match is None:
            return None
        self.adopted.add(self._owner_key(match.provider, match.kind, match.remote_id))
        return Change(d.address, Action.ADOPT, d.kind, d.provider,
                      f"{d.kind} {match.remote_id} already replaces {obj.remote_id}, which is stopped",
                      before=dict(match.attributes), after=after, remote_id=match.remote_id,
                      depends_on=d.depends_on, reason_code=Reason.SUCCESSOR_EXISTS)

    def unexpected(self, changes: Iterable[Change]) -> list[Drift]:
        """Objects carrying our namespace that state does not know and no desired object matches."""
        out = []
        for objs in self.unclaimed.values():
            for obj in objs:
                key = self._owner_key(obj.provider, obj.kind, obj.remote_id)
                if key in self.adopted or not spec(obj.kind).unexpected(obj, self.namespace):
                    continue  # not ours (never touched, never reported), or ours and retired on purpose
                out.append(Drift(f"{obj.kind}:{obj.remote_id}", "unexpected", spec(obj.kind).unexpected_detail(obj),
                                 obj.provider, obj.remote_id, None, dict(obj.attributes)))
        return out


def _forget(e: Recorded, because: Because) -> Change:
    return Change(e.address, Action.FORGET, e.kind, e.provider, because.text, reason_code=because.code,
                  before=dict(e.attributes),
                  after=None, remote_id=e.remote_id)


# --- ordering ---------------------------------------------------------------------------------


def _with_dependencies(changes: list[Change], recorded: Mapping[str, Recorded]) -> list[Change]:
    """Templates before the objects using them; deletes of users before their template's delete."""
    by_address = {c.address: c for c in changes}
    template_writes = {a for a, c in by_address.items()
                       if spec(c.kind).referenced and c.action in (Action.CREATE, Action.REPLACE, Action.UPDATE,
                                                                Action.ADOPT)}
    users: dict[str, list[str]] = defaultdict(list)  # template remote id -> addresses whose old object uses it
    template_ids = {e.remote_id: a for a, e in recorded.items() if spec(e.kind).referenced}
    for c in changes:
        if c.action in (Action.DELETE, Action.REPLACE) and not spec(c.kind).referenced:
            used = (spec(c.kind).reference(recorded[c.address].attributes).get("id")
                    if c.address in recorded else None)
            if used in template_ids:
                users[template_ids[used]].append(c.address)
    out = []
    for c in changes:
        deps = tuple(a for a in c.depends_on if a in template_writes)
        if spec(c.kind).referenced and c.action is Action.DELETE:
            deps = tuple(sorted(users.get(c.address, ())))
        if deps != c.depends_on:
            c = replace(c, depends_on=deps)
        out.append(c)
    return out
