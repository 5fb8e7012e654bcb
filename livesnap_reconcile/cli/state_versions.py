"""`livesnap state history` and `livesnap state migrate --to URL`: versions of the state and copies.

`history` lists the versions a backend keeps (PostgreSQL: every serial within its retention; the
local file: the file and its backup), newest first; `state show --serial N` (in `state_cmds.py`)
reads one through `read_version`. `migrate` copies the current state to another backend with its
lineage and serial (`state.migrate`); the source is only read. None of them calls a vendor.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from livesnap_reconcile.cli.main import GlobalOptions
from livesnap_reconcile.errors import LivesnapError

EXISTING = click.Path(exists=True, path_type=Path)


def _paths(paths, manifest_opts) -> list[Path]:
    return [*paths, *manifest_opts] or [Path(".")]


def _manifests(func):
    return click.option("-m", "--manifests", "manifest_opts", multiple=True, type=EXISTING, metavar="PATH",
                        help="Manifest file or directory that locates the state (default: .).")(func)


def read_version(backend, serial: int):
    found = backend.read_serial(serial)
    if found is None:
        kept = sorted(v.serial for v in backend.history())
        have = f" (kept: {_ranges(kept)})" if kept else ""
        raise LivesnapError(f"serial {serial} is not kept in {backend.describe()}{have}")
    return found


def _ranges(serials: list[int]) -> str:
    if not serials:
        return "none"
    if serials == list(range(serials[0], serials[-1] + 1)) and len(serials) > 2:
        return f"{serials[0]}..{serials[-1]}"
    return ", ".join(str(s) for s in serials)


@click.command("history")
@click.argument("paths", nargs=-1, type=EXISTING)
@_manifests
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show only the newest N versions.")
@click.pass_obj
def history(opts: GlobalOptions, paths: tuple[Path, ...], manifest_opts: tuple[Path, ...], fmt: str,
            limit: int | None) -> None:
    """List the versions of the state: serial, time, who, operation, counts."""
    from livesnap_reconcile.ops.state_select import open_backend_for

    backend = open_backend_for(opts, _paths(paths, manifest_opts), sandbox=opts.sandbox)
    versions = backend.history()[:limit]
    if fmt == "json":
        click.echo(json.dumps({"state": str(backend.path), "versions": [v.to_dict() for v in versions]},
                              indent=2, sort_keys=True))
        return
    if not versions:
        click.echo(f"No versions in {backend.describe()}.")
        return
    rows = [("SERIAL", "WRITTEN (UTC)", "WHO", "OPERATION", "RESOURCES", "+/~/-")]
    rows += [(str(v.serial), v.written_at, v.who or "-", v.operation or "-", str(v.resources),
              f"+{v.added} ~{v.changed} -{v.removed}" if v.who else "-") for v in versions]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


@click.command("migrate")
@click.option("--to", "target", required=True, metavar="PATH|URL", help="Where to copy the state.")
@click.argument("paths", nargs=-1, type=EXISTING)
@_manifests
@click.pass_obj
def migrate(opts: GlobalOptions, target: str, paths: tuple[Path, ...], manifest_opts: tuple[Path, ...]) -> None:
    """Copy the current state (lineage and serial kept) to another backend; the source is left as is.

    Refused when the target holds another lineage or a newer serial.
    """
    from livesnap_reconcile.ops.state_select import open_backend_for, open_value
    from livesnap_reconcile.state.migrate import migrate as copy_state

    where = _paths(paths, manifest_opts)
    source = open_backend_for(opts, where, sandbox=opts.sandbox)
    destination = open_value(target, where)
    try:
        copied = copy_state(source, destination, timeout=opts.lock_timeout)
    finally:
        for backend in (source, destination):
            if hasattr(backend, "close"):
                backend.close()
    click.echo(f"Copied state lineage {copied.lineage} serial {copied.serial} ({len(copied.resources)} objects) "
               f"from {source.describe()} to {destination.describe()}; the source is unchanged.")
    click.echo(f"Use it with --state {destination.path} (or LIVESNAP_STATE).")
