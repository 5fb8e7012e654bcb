"""`livesnap plan` and `livesnap show`: compute or reload a plan and render it."""

from __future__ import annotations

from pathlib import Path

import click

from livesnap_reconcile.cli.main import GlobalOptions
from livesnap_reconcile.cli.progress import tty_progress

FORMATS = click.Choice(["text", "json", "markdown"])


def render(plan, fmt: str, *, color: bool, summary: bool = False) -> str:
    if fmt == "json":
        from livesnap_reconcile.plan.render_json import render_json

        return render_json(plan)
    if fmt == "markdown":
        from livesnap_reconcile.plan.render_markdown import render_markdown

        return render_markdown(plan)
    from livesnap_reconcile.plan.render_text import render_summary, render_text

    return render_summary(plan) if summary else render_text(plan, color=color)


def target_options(func):
    func = click.option("--exclude", "excludes", multiple=True, metavar="ADDR",
                        help="Leave out changes at ADDR (prefixes allowed).")(func)
    func = click.option("--target", "targets", multiple=True, metavar="ADDR",
                        help="Only changes at ADDR (prefixes allowed, e.g. task.lobby), plus dependencies.")(func)
    return func


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), help="Save the plan to a file.")
@click.option("--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes, 0 when none.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option("--summary", is_flag=True, help="One line per address and action, grouped by stream.")
@click.option("--refresh/--no-refresh", default=True, show_default=True,
              help="Ask the vendors for the current objects first.")
@target_options
@click.pass_obj
def plan(opts: GlobalOptions, paths: tuple[Path, ...], out: Path | None, detailed_exitcode: bool, fmt: str,
         summary: bool, refresh: bool, targets: tuple[str, ...], excludes: tuple[str, ...]) -> None:
    """Show what apply would change (refreshes remote state first)."""
    from livesnap_reconcile.ops.session import open_session
    from livesnap_reconcile.ops.workflow import compute_plan, state_lock

    session = open_session(opts, paths)
    session.progress = tty_progress(opts)
    try:
        with state_lock(session, "plan", read_only=True) as backend:
            planned = compute_plan(session, backend, do_refresh=refresh, targets=targets, excludes=excludes)
    finally:
        session.close()
    if out is not None:
        from livesnap_reconcile.plan.planfile import save

        save(planned.plan, out)
    click.echo(render(planned.plan, fmt, color=opts.color, summary=summary), nl=False)
    if out is not None and fmt == "text":
        click.echo(f"\nSaved the plan to {out}. Apply exactly these changes with: livesnap apply {out}")
    if session.notes:
        click.echo("", err=True)  # the plan's last line has no newline of its own
    for note in session.notes:
        click.echo(note, err=True)
    if detailed_exitcode and planned.plan.has_changes and not planned.plan.housekeeping_only:
        raise click.exceptions.Exit(2)


@click.command()
@click.argument("plan_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option("--summary", is_flag=True, help="One line per address and action, grouped by stream.")
@click.pass_obj
def show(opts: GlobalOptions, plan_file: Path, fmt: str, summary: bool) -> None:
    """Render a saved plan again, without planning or calling a vendor."""
    from livesnap_reconcile.plan.planfile import load

    click.echo(render(load(plan_file), fmt, color=opts.color, summary=summary), nl=False)
