"""`livesnap apply`: apply a saved plan exactly, or plan, confirm and apply manifests."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import click

from livesnap_reconcile.cli.main import GlobalOptions
from livesnap_reconcile.cli.params import PARALLELISM_HELP
from livesnap_reconcile.cli.plan import render, target_options
from livesnap_reconcile.cli.progress import tty_progress
from livesnap_reconcile.core.progress import NullProgress, Progress
from livesnap_reconcile.errors import LivesnapError, PlanFileError


def _symbol(action: str) -> str:
    from livesnap_reconcile.plan.model import Action

    return Action(action).symbol


class ProgressView:
    """One line per finished change and a running count; JSON lines with --format json."""

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self._lock = threading.Lock()
        self.progress: Progress = NullProgress()  # the progress line, erased before a line of ours
        self._same_terminal = sys.stdout.isatty()

    def outcome(self, o, done: int, total: int) -> None:
        if self._same_terminal:  # the progress line goes to this terminal too: print above it
            self.progress.above(lambda: self._outcome(o, done, total))
        else:
            self._outcome(o, done, total)

    def _outcome(self, o, done: int, total: int) -> None:
        with self._lock:
            if self.fmt == "json":
                click.echo(json.dumps({"type": "change", **o.to_dict(), "done": done, "total": total},
                                      sort_keys=True))
                return
            secs = f" ({o.seconds:.1f}s)" if o.status == "ok" else ""
            head = _symbol(o.action) if o.status == "ok" else ("!" if o.status == "failed" else "·")
            click.echo(f"{head} {o.address}: {o.message}{secs} [{done}/{total}]")

    def report(self, report) -> None:
        ok, failed, skipped = (report.by_status(s) for s in ("ok", "failed", "skipped"))
        if self.fmt == "json":
            click.echo(json.dumps({"type": "summary", "succeeded": len(ok), "failed": len(failed),
                                   "skipped": len(skipped), "interrupted": report.interrupted,
                                   "failures": [o.to_dict() for o in failed]}, sort_keys=True))
            return
        verdict = "Apply complete!" if not failed and not report.interrupted else "Apply finished with errors."
        if report.interrupted:
            verdict = "Apply interrupted."
        click.echo(f"\n{verdict} {len(ok)} succeeded, {len(failed)} failed, {len(skipped)} skipped.")
        for o in failed:
            extra = " ".join(x for x in (f"code={o.code}" if o.code else "",
                                          f"RequestId={o.request_id}" if o.request_id else "") if x)
            click.echo(f"  failed: {o.address} ({o.action}): {o.message}{' ' + extra if extra else ''}", err=True)


def _is_plan_file(paths: tuple[Path, ...]) -> bool:
    return len(paths) == 1 and paths[0].is_file() and paths[0].suffix == ".json"


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--auto-approve", is_flag=True, help="Skip the interactive 'yes' confirmation.")
@click.option("--parallelism", type=click.IntRange(1, 256), default=None,
              help=PARALLELISM_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--refresh/--no-refresh", default=True, show_default=True)
@target_options
@click.pass_obj
def apply(opts: GlobalOptions, paths: tuple[Path, ...], auto_approve: bool, parallelism: int | None, fmt: str,
          refresh: bool, targets: tuple[str, ...], excludes: tuple[str, ...]) -> None:
    """Apply PLAN.json exactly, or plan PATH... then ask for 'yes' and apply."""
    view = ProgressView(fmt)
    if _is_plan_file(paths):
        report = _apply_saved(opts, paths[0], parallelism=parallelism, view=view)
    else:
        report = _apply_manifests(opts, paths, auto_approve=auto_approve, parallelism=parallelism, fmt=fmt,
                                  refresh=refresh, targets=targets, excludes=excludes, view=view)
    if report is None:
        return
    view.report(report)
    if not report.ok:
        raise click.exceptions.Exit(1)


def _apply_manifests(opts, paths, *, auto_approve, parallelism, fmt, refresh, targets, excludes, view):
    from livesnap_reconcile.ops.session import open_session
    from livesnap_reconcile.ops.workflow import compute_plan, state_lock

    session = open_session(opts, paths)
    session.progress = view.progress = tty_progress(opts)
    try:
        with state_lock(session, "apply") as backend:
            planned = compute_plan(session, backend, do_refresh=refresh, targets=targets, excludes=excludes)
            if fmt == "text":
                click.echo(render(planned.plan, "text", color=opts.color), nl=False)
            if session.notes:
                click.echo("", err=True)
            for note in session.notes:
                click.echo(note, err=True)
            if not planned.plan.has_changes:
                return None
            if not auto_approve:
                _confirm()
            if fmt == "text":
                click.echo("")
            return _run_interruptible(session, backend, planned.plan, planned.state, parallelism=parallelism,
                                      view=view)
    finally:
        session.close()


def _run_interruptible(session, backend, plan, state, *, parallelism: int | None, view):
    """Apply; Ctrl-C or SIGTERM lets the changes in flight finish and be recorded, then stops."""
    from livesnap_reconcile.cli.signals import on_stop_signals
    from livesnap_reconcile.ops.workflow import run_apply

    stop = threading.Event()

    def request_stop() -> None:
        click.echo("Interrupt received: finishing the changes in flight, then stopping "
                   "(press Ctrl-C again to abort at once).", err=True)
        stop.set()

    with on_stop_signals(request_stop):
        return run_apply(session, backend, plan, state, parallelism=parallelism, on_outcome=view.outcome, stop=stop)


def _confirm() -> None:
    if not sys.stdin.isatty():
        raise LivesnapError("refusing to apply without confirmation: no terminal to ask on; "
                            "pass --auto-approve, or save a plan with `plan -o` and apply that file")
    answer = click.prompt("\nDo you want to perform these actions? Only 'yes' will be accepted to approve",
                          default="", show_default=False)
    if answer.strip() != "yes":
        raise LivesnapError("apply cancelled")


def _apply_saved(opts, plan_path: Path, *, parallelism: int | None, view):
    from livesnap_reconcile.ops.session import build_providers, endpoints, load_desired, open_session
    from livesnap_reconcile.ops.workflow import state_lock
    from livesnap_reconcile.plan.planfile import check_fresh, load
    from livesnap_reconcile.state import State, check_endpoints, check_plan_matches

    plan = load(plan_path)
    if not plan.manifest_paths:
        raise PlanFileError(f"{plan_path}: the plan does not name its manifests")
    manifest_paths = [Path(p) for p in plan.manifest_paths]
    for p in manifest_paths:
        if not p.exists():
            raise PlanFileError(f"{plan_path}: made for manifest {p}, which does not exist here")
    session = open_session(opts, manifest_paths, sandbox=plan.sandbox)
    session.progress = view.progress = tty_progress(opts)
    try:
        check_fresh(plan, now=session.now())
        loaded, desired = load_desired(session, now=session.now())
        if loaded.digest != plan.manifest_digest:
            raise PlanFileError(f"{plan_path}: made for other manifests (the manifests changed since the plan "
                                "was saved); run `livesnap plan -o` again")
        with state_lock(session, "apply") as backend:
            state = backend.read()
            check_plan_matches(state, lineage=plan.lineage or "", serial=plan.serial)
            state = state or State.new(lineage=plan.lineage)
            providers = build_providers(session, desired.providers)
            check_endpoints(state, endpoints(providers))
            return _run_interruptible(session, backend, plan, state, parallelism=parallelism, view=view)
    finally:
        session.close()
