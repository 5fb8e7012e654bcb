"""`livesnap reconcile`: a level-triggered loop of refresh, plan and apply, for teams without a scheduler.

Owns the loop, its one log line per cycle, the choice of when to run next and clean shutdown.
Each cycle opens a fresh session, plans and applies under the state lock with `--auto-approve`
semantics, then sleeps until the earlier of `--every` and the plan's `next_change_at` (on the
session's clock: with `--sandbox` that is the emulator's business clock), never less than
`MIN_SLEEP`. SIGTERM/SIGINT set one `threading.Event` that both the sleep and the applier watch,
so the loop stops after the change in flight and exits 0. A failed cycle logs one line and is
retried next cycle; it never ends the loop.

Tests drive time through the module-level `sleep` (replace it to advance a fake clock).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import click

from livesnap_reconcile.cli.main import GlobalOptions
from livesnap_reconcile.cli.params import PARALLELISM_HELP, parse_duration
from livesnap_reconcile.cli.plan import target_options
from livesnap_reconcile.cli.signals import on_stop_signals
from livesnap_reconcile.errors import LivesnapError

MIN_SLEEP = 1.0
_SLICE = 0.1  # how soon a stop request ends the sleep


def sleep(stop: threading.Event, seconds: float) -> None:
    """Wait ``seconds`` or until ``stop`` is set. Module-level so tests can replace it.

    Sleeps in short slices instead of ``stop.wait(seconds)``: a timed wait on a condition never
    times out when the monotonic clock is shifted (libfaketime, which CI uses to run the suite on
    other dates, shifts it but not the semaphore waits Python's timed waits rely on).
    """
    deadline = time.monotonic() + seconds
    while not stop.is_set():
        left = deadline - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, _SLICE))


class Stop:
    """A stop request for the loop, and a fresh event per cycle for the applier.

    The applier sets its event itself when state can no longer be written; that must end the
    cycle, not the loop, so it never sees the loop's own event.
    """

    def __init__(self) -> None:
        self.requested = threading.Event()
        self._cycle = threading.Event()

    def request(self) -> None:
        self.requested.set()
        self._cycle.set()

    def for_cycle(self) -> threading.Event:
        self._cycle = threading.Event()
        if self.requested.is_set():
            self._cycle.set()
        return self._cycle


@dataclass(frozen=True)
class Cycle:
    """What one cycle did, enough for its log line and the next wake-up."""

    applied: int = 0
    failed: int = 0
    skipped: int = 0
    interrupted: bool = False
    next_change_at: int | None = None
    now: int = 0
    error: str = ""
    failures: tuple[str, ...] = ()  # addresses of failed changes, for the log line
    changed: tuple[str, ...] = ()  # addresses of applied changes, for the log line


FIRST_RETRY = 10.0  # seconds before retrying a failed cycle; doubled for each failure in a row


def next_delay(*, every: float, now: int, next_change_at: int | None,
               failures_in_a_row: int = 0) -> tuple[float, str]:
    """Seconds to sleep and why: the earlier of ``every`` and ``next_change_at``, at least MIN_SLEEP.

    After failed cycles it retries sooner, backing off (10 s, 20 s, 40 s, ... up to ``every``), so a
    passing outage costs little and a lasting one does not hammer the vendors.
    """
    if failures_in_a_row:
        return max(MIN_SLEEP, min(every, FIRST_RETRY * 2 ** (failures_in_a_row - 1))), "retrying after a failure"
    if next_change_at is not None and next_change_at - now < every:
        return max(MIN_SLEEP, float(next_change_at - now)), "next_change_at"
    return max(MIN_SLEEP, every), "every"


def run_cycle(opts: GlobalOptions, paths: Sequence[Path], *, parallelism: int | None, stop: threading.Event,
              targets: Sequence[str] = (), excludes: Sequence[str] = (),
              on_outcome: Callable | None = None) -> Cycle:
    from livesnap_reconcile.ops.session import open_session
    from livesnap_reconcile.ops.workflow import compute_plan, run_apply, state_lock

    session = open_session(opts, paths)
    try:
        try:
            with state_lock(session, "reconcile") as backend:
                planned = compute_plan(session, backend, targets=targets, excludes=excludes)
                report = run_apply(session, backend, planned.plan, planned.state, parallelism=parallelism,
                                   on_outcome=on_outcome, stop=stop)
        except LivesnapError as exc:
            return Cycle(now=session.now(), error=_one_line(exc))
        except Exception as exc:  # noqa: BLE001 - a failed cycle never ends the loop (its contract)
            return Cycle(now=session.now(), error=f"internal error: {type(exc).__name__}: {_one_line(exc)}")
        return Cycle(applied=len(report.by_status("ok")), failed=len(report.by_status("failed")),
                     skipped=len(report.by_status("skipped")), interrupted=report.interrupted,
                     failures=tuple(sorted(o.address for o in report.by_status("failed"))),
                     changed=tuple(sorted(o.address for o in report.by_status("ok"))),
                     next_change_at=planned.plan.next_change_at, now=session.now())
    finally:
        session.close()


def _some(addresses: tuple[str, ...], shown: int = 3) -> str:
    more = len(addresses) - shown
    return ", ".join(addresses[:shown]) + (f", +{more} more" if more > 0 else "")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def log_line(number: int, cycle: Cycle, *, next_at: int | None, why: str) -> str:
    from livesnap_reconcile.plan.render_common import iso

    if cycle.error:
        head = f"cycle {number}: failed: {cycle.error}"
    else:
        head = f"cycle {number}: {cycle.applied} change{'s' if cycle.applied != 1 else ''} applied"
        if cycle.changed:
            head += f" ({_some(cycle.changed)})"
        head += f", {cycle.failed} failed"
        if cycle.failures:
            head += f" ({_some(cycle.failures)})"
        if cycle.skipped:
            head += f", {cycle.skipped} skipped"
    if next_at is None:
        return head + ("; interrupted, stopping" if cycle.interrupted else "; stopping")
    return f"{head}; next run at {iso(next_at)} ({why})"


@contextmanager
def stop_on_signals(stop: Stop) -> Iterator[None]:
    """SIGTERM/SIGINT request a stop instead of killing the process (main thread only)."""
    with on_stop_signals(stop.request):
        yield


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--every", default="5m", show_default=True,
              help="Longest pause between cycles (30s, 5m, 1h); shorter when the plan's next change is sooner.")
@click.option("--max-cycles", type=click.IntRange(min=1), default=None,
              help="Stop after this many cycles (default: run until SIGTERM/SIGINT).")
@click.option("--parallelism", type=click.IntRange(1, 256), default=None,
              help=PARALLELISM_HELP)
@target_options
@click.pass_obj
def reconcile(opts: GlobalOptions, paths: tuple[Path, ...], every: str, max_cycles: int | None, parallelism: int | None,
              targets: tuple[str, ...], excludes: tuple[str, ...]) -> None:
    """Refresh, plan and apply in a loop (apply --auto-approve semantics), one log line per cycle.

    Sleeps until the earlier of --every and the plan's next change (so Alibaba windows open and
    close on time). SIGTERM/SIGINT stop it after the change in flight, with exit 0. A failed cycle
    is retried on the next one.
    """
    try:
        interval = parse_duration(every)
    except click.BadParameter as exc:
        raise click.BadParameter(exc.message, param_hint="--every") from None
    if interval <= 0:
        raise click.BadParameter("must be longer than 0s", param_hint="--every")
    stop = Stop()
    on_outcome = _verbose_outcome if opts.verbose else None
    number, last, failures_in_a_row = 0, Cycle(), 0
    with stop_on_signals(stop):
        while not stop.requested.is_set():
            number += 1
            last = run_cycle(opts, paths, parallelism=parallelism, stop=stop.for_cycle(), targets=targets, excludes=excludes,
                             on_outcome=on_outcome)
            failures_in_a_row = failures_in_a_row + 1 if last.error else 0
            done = stop.requested.is_set() or (max_cycles is not None and number >= max_cycles)
            delay, why = next_delay(every=interval, now=last.now, next_change_at=last.next_change_at,
                                    failures_in_a_row=failures_in_a_row)
            click.echo(log_line(number, last, next_at=None if done else last.now + int(delay), why=why),
                       err=bool(last.error))
            if done:
                break
            sleep(stop.requested, delay)
    if max_cycles is not None and not stop.requested.is_set() and (last.error or last.failed):
        raise click.exceptions.Exit(1)  # a bounded run reports its last cycle's outcome


def _verbose_outcome(outcome, done: int, total: int) -> None:
    click.echo(f"  {outcome.status} {outcome.address} ({outcome.action}): {outcome.message} [{done}/{total}]")
