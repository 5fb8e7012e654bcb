"""One change, executed against its provider: the vendor calls each `Action` stands for.

Each step returns the state entry to record (or None to forget the address); the applier
commits it. Steps never decide anything the plan did not say, with one exception that the
design requires: a create whose outcome is unknown looks the object up and adopts it before
any retry, because Tencent has no idempotency token.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from livesnap_reconcile.errors import Invalid, UnknownOutcome
from livesnap_reconcile.plan.model import Action, Change
from livesnap_reconcile.providers.base import Provider
from livesnap_reconcile.resources import RemoteObject
from livesnap_reconcile.state import StateEntry
from livesnap_reconcile.vendors import spec

CREATE_ATTEMPTS = 4


@dataclass(frozen=True)
class StepResult:
    entry: StateEntry | None  # what to record at the change's address; None removes it
    remote_id: str | None
    message: str


def execute(change: Change, provider: Provider, *, template_ids: Mapping[str, str], now: Callable[[], int],
            protected: bool, previous: StateEntry | None) -> StepResult:
    action = change.action
    if action is Action.FORGET:
        return StepResult(None, change.remote_id, "forgotten")
    if action is Action.ADOPT:
        attrs = _recorded_attributes(change, change.before or {})
        return StepResult(_entry(change, change.remote_id or "", attrs, now(), protected, ""),
                          change.remote_id, f"adopted id={change.remote_id}")
    if action is Action.DELETE:
        provider.delete(change.kind, change.remote_id or "", change.before or {})  # type: ignore[arg-type]
        return StepResult(None, change.remote_id, spec(change.kind).retire_verb)
    after = _resolved(change, template_ids)
    if action is Action.CREATE:
        obj, how = _create(change, provider, after, now)
        return StepResult(_entry(change, obj.remote_id, _recorded_attributes(change, obj.attributes, after), now(),
                                 protected, obj.status), obj.remote_id, f"{how} id={obj.remote_id}")
    if action is Action.REPLACE:
        provider.delete(change.kind, change.remote_id or "", change.before or {})  # type: ignore[arg-type]
        obj, how = _create(change, provider, after, now)
        return StepResult(_entry(change, obj.remote_id, _recorded_attributes(change, obj.attributes, after), now(),
                                 protected, obj.status), obj.remote_id, f"replaced, {how} id={obj.remote_id}")
    remote_id = change.remote_id or ""
    if action is Action.UPDATE:
        obj = provider.update(change.kind, remote_id, after)  # type: ignore[arg-type]
    elif action is Action.START:
        obj = provider.start(remote_id)
    elif action is Action.STOP:
        obj = provider.stop(remote_id)
    elif action is Action.RESTART:
        obj = provider.restart(remote_id)
    else:  # pragma: no cover - the Action enum is closed
        raise ValueError(f"unknown action {action}")
    created = previous.created_at if previous else now()
    attrs = _recorded_attributes(change, obj.attributes, after)
    return StepResult(_entry(change, remote_id, attrs, created, protected, obj.status), remote_id,
                      spec(change.kind).waiting_note(attrs) or _DONE[action])


_DONE = {Action.UPDATE: "updated", Action.START: "started", Action.STOP: "stopped", Action.RESTART: "restarted"}


def _create(change: Change, provider: Provider, after: dict[str, Any],
            now: Callable[[], int]) -> tuple[RemoteObject, str]:
    """Create, and after an unknown outcome list-and-adopt before trying again."""
    for attempt in range(1, CREATE_ATTEMPTS + 1):
        try:
            return provider.create(change.kind, after), "created"  # type: ignore[arg-type]
        except UnknownOutcome:
            found = provider.find(change.kind, after, now=now())  # type: ignore[arg-type]
            if found is not None:
                return found, "created (found after a lost response)"
            if attempt == CREATE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _resolved(change: Change, template_ids: Mapping[str, str]) -> dict[str, Any]:
    after = dict(change.after or {})
    kind = spec(change.kind)
    ref = kind.reference(after).get("ref")
    if ref:
        if ref not in template_ids:
            raise Invalid(f"{ref} has no remote id (was its create skipped or failed?)", code="TemplateUnknown")
        after = kind.with_reference_id(after, template_ids[ref])
    return after


def _recorded_attributes(change: Change, remote: Mapping[str, Any],
                         after: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """What state keeps: the remote object's normalised attributes, plus the occurrence's key."""
    attrs = dict(remote)
    desired = after if after is not None else (change.after or {})
    attrs.update({k: desired[k] for k in spec(change.kind).desired_only if k in desired})
    return attrs


def _entry(change: Change, remote_id: str, attrs: dict[str, Any], created_at: int, protected: bool,
           status: str) -> StateEntry:
    return StateEntry(address=change.address, kind=change.kind, provider=change.provider,
                      remote_id=remote_id, attributes=attrs, created_at=int(created_at),
                      protect=protected, status=status)
