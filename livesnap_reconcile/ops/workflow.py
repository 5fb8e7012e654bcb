"""The steps shared by plan, apply, drift and reconcile: load, lock, refresh, plan, apply.

Commands stay thin: they parse flags, call these, and hand the results to a view.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from livesnap_reconcile.errors import LivesnapError
from livesnap_reconcile.ops.session import Session, build_providers, endpoints, load_desired, refresh


@dataclass
class Planned:
    plan: Any
    state: Any  # State (an empty new one when no file exists yet)
    desired: Any
    loaded: Any  # the LoadedManifest (digest, files, warnings), its data dropped once expanded


@contextmanager
def state_lock(session: Session, operation: str, *, read_only: bool = False):
    """Hold the state lock for ``operation``. A read-only operation (plan, drift) on a state
    whose directory cannot be written goes on without the lock, and says so in ``session.notes``."""
    from livesnap_reconcile.errors import StateReadOnly

    backend = session.backend()
    try:
        info = backend.lock(operation=operation, timeout=session.opts.lock_timeout)
    except StateReadOnly as exc:
        if not read_only:
            raise
        session.notes.append(f"Note: no state lock was taken ({exc}); this read-only {operation} may race a "
                             "concurrent apply.")
        yield backend
        return
    try:
        yield backend
    finally:
        backend.unlock(info)


def compute_plan(session: Session, backend, *, do_refresh: bool = True, targets: Sequence[str] = (),
                 excludes: Sequence[str] = ()) -> Planned:
    from livesnap_reconcile.core.collector import collector_paused

    with collector_paused():  # state, refresh and plan build large acyclic data too
        return _compute_plan(session, backend, do_refresh=do_refresh, targets=targets, excludes=excludes)


def _compute_plan(session: Session, backend, *, do_refresh: bool, targets: Sequence[str],
                  excludes: Sequence[str]) -> Planned:
    from livesnap_reconcile.plan.guards import check_guards, select
    from livesnap_reconcile.plan.planner import make_plan
    from livesnap_reconcile.state import State, check_endpoints

    now = session.now()
    loaded, desired = load_desired(session, now=now)
    # Expanded, the manifest's plain data is not read again; at fleet scale it is ~80 MB that
    # would stay alive through the state read, the refresh and the plan.
    loaded = loaded._replace(data={})
    state = backend.read() or State.new()
    providers = build_providers(session, desired.providers)
    check_endpoints(state, endpoints(providers))
    remote = refresh(session, desired, state, now=now) if do_refresh else None
    plan = make_plan(desired, state.resources, remote, now=now, lineage=state.lineage, serial=state.serial,
                     manifest_digest=loaded.digest,
                     providers={n: {"vendor": v, "endpoint": e} for n, (v, e) in endpoints(providers).items()})
    known = [r.address for r in desired.resources] + [d.address for d in desired.deferred] + list(state.resources)
    plan = select(plan, targets=targets, excludes=excludes, known=known)
    plan = _hold_unavailable(session, plan, desired, state)
    plan = replace(plan, manifest_paths=tuple(str(p) for p in session.paths), sandbox=session.emulator is not None)
    check_guards(plan, set(plan.protected))
    return Planned(plan, state, desired, loaded)


def _hold_unavailable(session: Session, plan, desired, state):
    """What the accounts cannot do leaves the plan, with a note each (and one per unlistable kind)."""
    from livesnap_reconcile.plan.guards import hold_unavailable

    unavailable: dict[tuple[str, str, str], str] = {}
    for name, provider in sorted(session.providers.items()):
        limits = getattr(provider, "limits", lambda: None)()
        if limits is None:
            continue
        in_play = {r.kind for r in desired.resources if r.provider == name}
        in_play |= {e.kind for e in state.resources.values() if e.provider == name}
        for kind in limits.unreadable:
            if kind in in_play:
                session.notes.append(f"Note: provider {name}: {limits.why}, so its {kind}s are planned from state "
                                     f"as recorded; changes made to them outside livesnap are not seen.")
        unavailable.update({(name, kind, action): why for (kind, action), why in limits.unavailable.items()})
    plan, held = hold_unavailable(plan, unavailable)
    session.notes.extend(f"Note: {line}." for line in held)
    return plan


def run_apply(session: Session, backend, plan, state, *, parallelism: int | None,
              on_outcome: Callable | None = None, stop: threading.Event | None = None):
    """Apply ``plan`` on top of ``state``; provider endpoints are recorded with the first write.

    ``parallelism`` None sizes the pool from the providers' rate and observed latency."""
    from livesnap_reconcile.apply.applier import Applier

    if not plan.changes:
        from livesnap_reconcile.apply.applier import Report

        return Report(state=state)
    for name, info in sorted(plan.providers.items()):
        state = state.with_provider(name, info["vendor"], info["endpoint"])
    if not session.providers:
        raise LivesnapError("internal: providers were not built before apply")
    progress = session.progress
    report = on_outcome or (lambda outcome, done, total: None)

    def outcome_and_count(outcome, done: int, total: int) -> None:
        report(outcome, done, total)
        progress.advance()

    applier = Applier(backend=backend, state=state, providers=session.providers, now=session.now,
                      parallelism=parallelism, on_outcome=outcome_and_count, stop=stop)
    progress.phase("apply", total=len(plan.changes), unit="changes")
    try:
        return applier.apply(plan)
    finally:
        progress.finish()
