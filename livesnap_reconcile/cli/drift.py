"""`livesnap drift`: what changed outside livesnap, read-only, with a drift-only exit code.

Owns the read-only variant of the plan workflow: it reads the state without taking the write
lock, refreshes from the vendors (list/get calls only), and reports the plan's drift list
(deleted, stopped, paused/started, modified, and unexpected objects carrying our namespace).
It must never write state, take the state lock or call a vendor write API, so it is safe to run
on a schedule next to a running `apply` or `reconcile`. Guards are not checked: a drift report
is not a plan to execute.

Exit codes: 0 in sync, 2 drift found, 1 error (mapped by `cli.errors`).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from livesnap_reconcile.cli.main import GlobalOptions
from livesnap_reconcile.cli.progress import tty_progress


def read_only_plan(session):
    """The full plan (including drift) computed without the lock and without writing anything."""
    from livesnap_reconcile.ops.session import build_providers, endpoints, load_desired, refresh
    from livesnap_reconcile.plan.planner import make_plan
    from livesnap_reconcile.state import State, check_endpoints

    now = session.now()
    loaded, desired = load_desired(session, now=now)
    state = session.backend().read() or State.new()
    providers = build_providers(session, desired.providers)
    check_endpoints(state, endpoints(providers))
    remote = refresh(session, desired, state, now=now)
    return make_plan(desired, state.resources, remote, now=now, lineage=state.lineage, serial=state.serial,
                     manifest_digest=loaded.digest,
                     providers={n: {"vendor": v, "endpoint": e} for n, (v, e) in endpoints(providers).items()})


def drift_document(plan) -> dict:
    """The `--format json` report: the verdict, counts by kind of drift, every item, and what waits."""
    from livesnap_reconcile.plan.render_common import waiting

    counts: dict[str, int] = {}
    for item in plan.drift:
        counts[item.what] = counts.get(item.what, 0) + 1
    return {
        "format_version": plan.format_version,
        "namespace": plan.namespace,
        "checked_at": plan.created_at,
        "in_sync": not plan.drift,
        "counts": dict(sorted(counts.items())),
        "drift": [d.to_dict() for d in sorted(plan.drift, key=lambda d: (d.address, d.what))],
        # Not drift: objects livesnap keeps retrying while they wait on something outside it.
        "waiting": [{"address": c.address, "reason_code": c.reason_code.value, "reason": c.reason}
                    for c in waiting(plan)],
    }


def render_report(plan, fmt: str, *, color: bool) -> str:
    if fmt == "json":
        return json.dumps(drift_document(plan), indent=2, sort_keys=True) + "\n"
    if fmt == "markdown":
        from livesnap_reconcile.plan.render_markdown import render_drift_markdown

        return render_drift_markdown(plan)
    from livesnap_reconcile.plan.render_text import render_drift

    return render_drift(plan, color=color)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True)
@click.pass_obj
def drift(opts: GlobalOptions, paths: tuple[Path, ...], fmt: str) -> None:
    """Report what changed outside livesnap, without writing anything.

    Compares the state with the vendors' records: objects deleted, stopped, paused or started,
    templates edited, and unexpected objects carrying our namespace. Exit 0 in sync, 2 drift, 1 error.
    """
    from livesnap_reconcile.ops.session import open_session

    session = open_session(opts, paths)
    session.progress = tty_progress(opts)
    try:
        plan = read_only_plan(session)
    finally:
        session.close()
    click.echo(render_report(plan, fmt, color=opts.color), nl=False)
    if plan.drift:
        raise click.exceptions.Exit(2)
