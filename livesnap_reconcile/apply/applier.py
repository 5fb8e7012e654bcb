"""Executes a Plan: dependency order, a bounded pool, state committed after every change (`commit`).

The pool is sized from the providers' pace unless a parallelism is given (`apply.pool`).
The applier never re-decides: it runs each `Change` through `apply.steps.execute`, records the
outcome in state at once (so a crash loses nothing), keeps going past independent failures and
skips the dependents of a failed change. Progress is reported through a callback; it prints
nothing itself.

Creates of one identity (two snapshots the vendor cannot tell apart, DESIGN.md §3) run one at a
time, each recorded before the next starts: the lookup after a lost answer then excludes what its
siblings recorded and can only find its own object, so one object is never recorded twice and
none is left unrecorded. Everything else runs in parallel.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from livesnap_reconcile.apply.commit import GroupCommitter
from livesnap_reconcile.apply.pool import MAX_WORKERS, workers_for
from livesnap_reconcile.apply.steps import execute
from livesnap_reconcile.errors import LivesnapError, ProviderError, StateError
from livesnap_reconcile.plan.model import Action, Change, Plan
from livesnap_reconcile.providers.base import Pace, Provider
from livesnap_reconcile.state import State, StateBackend
from livesnap_reconcile.vendors import spec


@dataclass(frozen=True)
class Outcome:
    address: str
    action: str
    status: str  # "ok" | "failed" | "skipped"
    message: str
    remote_id: str | None = None
    seconds: float = 0.0
    code: str = ""
    request_id: str = ""

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    state: State | None = None
    interrupted: bool = False

    def by_status(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def ok(self) -> bool:
        return not self.by_status("failed") and not self.by_status("skipped")


class Applier:
    def __init__(self, *, backend: StateBackend, state: State, providers: Mapping[str, Provider],
                 now: Callable[[], int], parallelism: int | None = None,
                 on_outcome: Callable[[Outcome, int, int], None] | None = None,
                 stop: threading.Event | None = None) -> None:
        self._committer = GroupCommitter(backend, state)
        self._providers = providers
        self._now = now
        # None: sized from the providers' pace as the apply goes (`apply.pool`); a number is a fixed bound.
        self._parallelism = None if parallelism is None else max(1, parallelism)
        self.peak_workers = 0  # the most changes that ran at once
        self._on_outcome = on_outcome or (lambda o, done, total: None)
        self._stop = stop or threading.Event()
        self._abort = threading.Event()  # our own: a state failure must not trip the caller's event
        self._identity_locks: dict[tuple[str, ...], threading.Lock] = {}
        self._identity_locks_lock = threading.Lock()

    def apply(self, plan: Plan) -> Report:
        changes = {c.address: c for c in plan.changes}
        restarts_after: dict[str, list[str]] = defaultdict(list)  # an update -> the restarts waiting for it
        for c in changes.values():
            if c.action is Action.RESTART:
                for dep in c.depends_on:
                    if dep in changes and changes[dep].action is Action.UPDATE:
                        restarts_after[dep].append(c.address)
        deps = {a: {d for d in c.depends_on if d in changes} for a, c in changes.items()}
        dependents: dict[str, set[str]] = defaultdict(set)
        for a, ds in deps.items():
            for d in ds:
                dependents[d].add(a)
        protected = set(plan.protected)
        report = Report()
        total = len(changes)
        waiting = {a: set(ds) for a, ds in deps.items()}
        ready = sorted(a for a, ds in waiting.items() if not ds)
        running: dict[Future, str] = {}
        finished: set[str] = set()
        remaining = Counter(c.provider for c in changes.values())  # what the pool is sized for

        def record(outcome: Outcome) -> None:
            report.outcomes.append(outcome)
            finished.add(outcome.address)
            remaining[changes[outcome.address].provider] -= 1
            self._on_outcome(outcome, len(report.outcomes), total)

        def skip_dependents(address: str, why: str) -> None:
            for dep in sorted(dependents.get(address, ())):
                if dep not in finished:
                    waiting.pop(dep, None)
                    record(Outcome(dep, changes[dep].action.value, "skipped", f"skipped: {why}"))
                    skip_dependents(dep, why)

        with ThreadPoolExecutor(max_workers=self._parallelism or MAX_WORKERS, thread_name_prefix="apply") as pool:
            while ready or running:
                limit = self._parallelism or self._auto_workers(p for p, n in remaining.items() if n > 0)
                while ready and len(running) < limit and not self._halted():
                    address = ready.pop(0)
                    waiting.pop(address, None)
                    running[pool.submit(self._run_one, changes[address], address in protected,
                                        restarts_after.get(address, ()))] = address
                self.peak_workers = max(self.peak_workers, len(running))
                if not running:
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in sorted(done, key=lambda f: running[f]):
                    address = running.pop(fut)
                    outcome = fut.result()
                    record(outcome)
                    if outcome.status != "ok":
                        skip_dependents(address, f"{address} failed")
                        continue
                    for dep in sorted(dependents.get(address, ())):
                        if dep in waiting:
                            waiting[dep].discard(address)
                            if not waiting[dep]:
                                ready.append(dep)
                    ready.sort()
            if self._halted() and (ready or waiting):
                report.interrupted = True
                for address in sorted(set(ready) | set(waiting)):
                    if address not in finished:
                        record(Outcome(address, changes[address].action.value, "skipped",
                                       "skipped: interrupted"))
        report.state = self._committer.state
        return report

    def _auto_workers(self, providers: Iterable[str]) -> int:
        """Little's law over the providers that still have changes to make (`apply.pool`)."""
        paces: list[tuple[float, float | None]] = []
        for name in providers:
            pace: Pace | None = getattr(self._providers.get(name), "pace", None)
            if pace is not None:
                paces.append((pace.rate(), pace.latency.seconds()))
        return workers_for(paces)

    def _halted(self) -> bool:
        return self._stop.is_set() or self._abort.is_set()

    def _run_one(self, change: Change, protected: bool, restarts: Iterable[str] = ()) -> Outcome:
        started = time.monotonic()
        provider = self._providers.get(change.provider)
        try:
            if provider is None:
                raise LivesnapError(f"provider {change.provider!r} is not configured")
            with self._one_per_identity(change):
                # States are immutable and swapped whole, so reading one needs no lock (waiting for
                # the writer's lock here would hold every worker behind each fsync).
                state = self._committer.state
                previous = state.resources.get(change.address)
                template_ids = {a: e.remote_id for a, e in state.resources.items() if spec(e.kind).referenced}
                claimed = frozenset(e.remote_id for a, e in state.resources.items()
                                    if e.kind == change.kind and a != change.address)
                self._mark_restarts_due(restarts)  # the restarts waiting for this update, if any
                result = execute(change, provider, template_ids=template_ids, now=self._now, protected=protected,
                                 previous=previous, claimed=claimed)
                self._commit(change.address, result.entry)
            if result.error is not None:
                error = result.error
                return Outcome(change.address, change.action.value, "failed", str(error), result.remote_id,
                               time.monotonic() - started, error.code, error.request_id)
            return Outcome(change.address, change.action.value, "ok", result.message, result.remote_id,
                           time.monotonic() - started)
        except ProviderError as exc:
            return Outcome(change.address, change.action.value, "failed", str(exc), change.remote_id,
                           time.monotonic() - started, exc.code, exc.request_id)
        except StateError as exc:
            self._abort.set()  # state can no longer be recorded: start nothing more
            return Outcome(change.address, change.action.value, "failed",
                           f"vendor call done but state could not be written: {exc}", change.remote_id,
                           time.monotonic() - started)
        except LivesnapError as exc:
            return Outcome(change.address, change.action.value, "failed", str(exc), change.remote_id,
                           time.monotonic() - started)
        except Exception as exc:  # noqa: BLE001 - one broken change must not abort the others
            return Outcome(change.address, change.action.value, "failed",
                           f"internal error: {type(exc).__name__}: {exc}", change.remote_id,
                           time.monotonic() - started)

    def _mark_restarts_due(self, addresses: Iterable[str]) -> None:
        """Before an update that running objects take only by a restart, record them as due one:
        a restart that then fails, or never runs, is planned again (`KindSpec.restart_marker`)."""
        for address in addresses:
            entry = self._committer.state.resources.get(address)
            marker = spec(entry.kind).restart_marker if entry is not None else None
            if entry is not None and marker and not entry.attributes.get(marker):
                self._commit(address, replace(entry, attributes={**entry.attributes, marker: True}))

    @contextmanager
    def _one_per_identity(self, change: Change) -> Iterator[None]:
        """Held from a create's first call until its entry is written, per identity."""
        if change.action not in (Action.CREATE, Action.REPLACE):
            yield
            return
        kind = spec(change.kind)
        after = change.after or {}
        key = (change.kind, repr(kind.identity(after)), repr(sorted(kind.reference(after).items())))
        with self._identity_locks_lock:
            lock = self._identity_locks.setdefault(key, threading.Lock())
        with lock:
            yield

    def _commit(self, address: str, entry) -> None:
        # Durable before it is reported; changes finishing during a write share the next one.
        self._committer.commit(address, entry)
