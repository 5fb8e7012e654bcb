"""One change, executed against its provider: the vendor calls each `Action` stands for.

Each step returns the state entry to record (or None to forget the address); the applier
commits it. Steps never decide anything the plan did not say, with one exception that the
design requires: a create whose outcome is unknown looks the object up and adopts it before
any retry, because Tencent has no idempotency token. The lookup never takes an object that
state records at another address (``claimed``). A created object, and an adopted one (found
after a lost answer or adopted by the plan), is brought to its desired status (started or
paused) at once; if that status change fails, the object is still recorded
(`StepResult.error`), so the next plan knows it and only the status is left to do.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from livesnap_reconcile.errors import Invalid, ProviderError, Retryable, UnknownOutcome
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
    error: ProviderError | None = None  # recorded, but a follow-up call failed: report the change failed


def settle_status(change: Change, provider: Provider, obj: RemoteObject,
                  desired: Mapping[str, Any]) -> tuple[RemoteObject, str, ProviderError | None]:
    """Start or pause an adopted object as ``desired`` says: (object as now, what was done, failure)."""
    action = spec(change.kind).adopted_status_action(obj, desired)
    if action is None:
        return obj, "", None
    done = "started" if action == "start" else "stopped"
    try:
        settled = provider.start(obj.remote_id) if action == "start" else provider.stop(obj.remote_id)
    except Retryable as exc:
        # The command may have been carried out with only its answer lost: read the object
        # before calling it a failure, so state records the status it really has.
        now = _reread(change, provider, obj.remote_id)
        if now is not None and spec(change.kind).adopted_status_action(now, desired) is None:
            return now, done, None
        return obj, "", exc
    except ProviderError as exc:
        return obj, "", exc
    return settled, done, None


def _reread(change: Change, provider: Provider, remote_id: str) -> RemoteObject | None:
    try:
        return provider.get(change.kind, remote_id)  # type: ignore[arg-type]
    except ProviderError:
        return None


def execute(change: Change, provider: Provider, *, template_ids: Mapping[str, str], now: Callable[[], int],
            protected: bool, previous: StateEntry | None, claimed: Collection[str] = ()) -> StepResult:
    """Run ``change``; ``claimed`` holds the ids of its kind that state records at other addresses."""
    action = change.action
    if action is Action.FORGET:
        return StepResult(None, change.remote_id, "forgotten")
    if action is Action.ADOPT:
        return _adopt(change, provider, now, protected)
    if action is Action.DELETE:
        provider.delete(change.kind, change.remote_id or "", change.before or {})  # type: ignore[arg-type]
        return StepResult(None, change.remote_id, spec(change.kind).retire_verb)
    after = _resolved(change, template_ids)
    if action in (Action.CREATE, Action.REPLACE):
        if action is Action.REPLACE:
            provider.delete(change.kind, change.remote_id or "", change.before or {})  # type: ignore[arg-type]
        obj, how, error = _create(change, provider, after, now, claimed)
        prefix = "replaced, " if action is Action.REPLACE else ""
        return StepResult(_entry(change, obj.remote_id, _recorded_attributes(change, obj.attributes, after), now(),
                                 protected, obj.status), obj.remote_id, f"{prefix}{how} id={obj.remote_id}", error)
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


def _adopt(change: Change, provider: Provider, now: Callable[[], int], protected: bool) -> StepResult:
    remote_id = change.remote_id or ""
    found = RemoteObject(kind=change.kind, provider=change.provider, remote_id=remote_id,  # type: ignore[arg-type]
                         attributes=dict(change.before or {}))
    obj, done, error = settle_status(change, provider, found, change.after or {})
    attrs = _recorded_attributes(change, obj.attributes)
    message = f"adopted id={remote_id}" + (f", {done}" if done else "")
    return StepResult(_entry(change, remote_id, attrs, now(), protected, obj.status), remote_id, message,
                      _after_adoption(remote_id, error))


def _create(change: Change, provider: Provider, after: dict[str, Any], now: Callable[[], int],
            claimed: Collection[str]) -> tuple[RemoteObject, str, ProviderError | None]:
    """Create, and after an unknown outcome list-and-adopt before trying again."""
    for attempt in range(1, CREATE_ATTEMPTS + 1):
        try:
            made = provider.create(change.kind, after)  # type: ignore[arg-type]
        except UnknownOutcome:
            found = provider.find(change.kind, after, now=now(), exclude=claimed)  # type: ignore[arg-type]
            if found is not None and found.remote_id in claimed:
                # Never record one object at two addresses; this one's own object, if the lost
                # create made it, is left for the next plan's adoption or drift report.
                raise Invalid(f"the lookup after a lost answer found {change.kind} {found.remote_id}, which state "
                              "already records at another address", code="FoundClaimed") from None
            if found is not None:
                obj, done, error = settle_status(change, provider, found, after)
                how = "created (found after a lost response" + (f", then {done})" if done else ")")
                return obj, how, _after_adoption(obj.remote_id, error)
            if attempt == CREATE_ATTEMPTS:
                raise
            continue
        # Created objects are brought to their status here, not by the provider, so one whose
        # status change fails is still recorded and the next plan has only the status left to do.
        obj, _, error = settle_status(change, provider, made, after)
        return obj, "created", _after_adoption(obj.remote_id, error)
    raise AssertionError("unreachable")


def _after_adoption(remote_id: str, error: ProviderError | None) -> ProviderError | None:
    if error is None:
        return None
    detail = error.args[0] if error.args else type(error).__name__
    error.args = (f"{remote_id} is recorded, but bringing it to its desired status failed: {detail}",)
    return error


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
