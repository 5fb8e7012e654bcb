"""`livesnap state list|show|rm`, `livesnap import` and `livesnap force-unlock`.

Owns the commands that inspect or edit the state directly. `state list`/`show` only read;
`state rm` and `import` change state under the write lock (one write, serial + 1); `rm` and
`force-unlock` never call a vendor, `import` only reads one object (`Provider.get`). None of
them plans or applies: differences found by `import` are shown and left to the next plan.

Which state: `--state` (a file or a postgresql:// URL) if given, else `LIVESNAP_STATE`, else the
file beside the manifest PATHs (default `.`), or the sandbox state with `--sandbox`
(`cli.state_select`). `state history`, `state show --serial` and `state migrate` are in
`state_versions.py`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from livesnap_reconcile.cli.main import GlobalOptions
from livesnap_reconcile.errors import LivesnapError

EXISTING = click.Path(exists=True, path_type=Path)


def manifests_option(func):
    return click.option("-m", "--manifests", "manifest_opts", multiple=True, type=EXISTING, metavar="PATH",
                        help="Manifest file or directory that locates the state (default: .).")(func)


def manifest_paths(positional: Sequence[Path] = (), options: Sequence[Path] = ()) -> list[Path]:
    return [*positional, *options] or [Path(".")]


def _backend(opts: GlobalOptions, paths: Sequence[Path]):
    from livesnap_reconcile.ops.state_select import open_backend_for

    return open_backend_for(opts, paths, sandbox=opts.sandbox)


def _read(backend):
    state = backend.read()
    if state is None:
        raise LivesnapError(f"no state at {backend.path}: nothing is managed yet "
                            "(check --state, --sandbox and the manifest PATH)")
    return state


def _matching(addresses: Sequence[str], pattern: str) -> list[str]:
    """Exact address, or a prefix like ``task.lobby`` / ``task.lobby.news`` (as `--target`)."""
    return sorted(a for a in addresses if a == pattern or a.startswith(pattern + ".")
                  or a.startswith(pattern + "["))


# --- state group ----------------------------------------------------------------------------------


@click.group()
def state() -> None:
    """Inspect or forget state entries, list its versions, migrate it (no vendor is ever called)."""


def _entry_row(entry) -> dict:
    status = entry.status or str(entry.attributes.get("status", ""))
    return {"address": entry.address, "kind": entry.kind, "provider": entry.provider,
            "remote_id": entry.remote_id, "status": status, "protect": entry.protect,
            "created_at": entry.created_at}


@state.command("list")
@click.argument("paths", nargs=-1, type=EXISTING)
@manifests_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def state_list(opts: GlobalOptions, paths: tuple[Path, ...], manifest_opts: tuple[Path, ...], fmt: str) -> None:
    """List managed objects: address, kind, remote id, status as last recorded (no vendor call)."""
    backend = _backend(opts, manifest_paths(paths, manifest_opts))
    current = backend.read()
    rows = [_entry_row(e) for _, e in sorted((current.resources if current else {}).items())]
    if fmt == "json":
        click.echo(json.dumps({"state": str(backend.path), "serial": current.serial if current else 0,
                               "resources": rows}, indent=2, sort_keys=True))
        return
    if not rows:
        click.echo(f"No objects in state ({backend.path}).")
        return
    head = {"address": "ADDRESS", "kind": "KIND", "remote_id": "REMOTE ID", "status": "RECORDED STATUS"}
    widths = {k: max(len(head[k]), *(len(str(r[k])) for r in rows)) for k in ("address", "kind", "remote_id")}
    for row in [head, *rows]:
        flag = "  protected" if row.get("protect") is True else ""
        click.echo("  ".join(str(row[k]).ljust(widths[k]) for k in widths) + f"  {row['status']}{flag}".rstrip())
    click.echo(f"\nStatuses are as recorded at serial {current.serial if current else 0} (no vendor call); "
               "`livesnap drift` asks the vendors.")


@state.command("show")
@click.argument("address", required=False)
@click.argument("paths", nargs=-1, type=EXISTING)
@manifests_option
@click.option("--serial", type=click.IntRange(min=0), default=None,
              help="Show the state as it was at this serial (see `state history`).")
@click.pass_obj
def state_show(opts: GlobalOptions, address: str | None, paths: tuple[Path, ...], manifest_opts: tuple[Path, ...],
               serial: int | None) -> None:
    """Print one state entry as JSON, or with --serial and no ADDRESS the whole state at that serial."""
    if address is not None and Path(address).exists():  # `state show --serial 3 manifests/`: a PATH, no ADDRESS
        paths = (Path(address), *paths)
        address = None
    backend = _backend(opts, manifest_paths(paths, manifest_opts))
    if serial is None:
        if address is None:
            raise click.UsageError("give an ADDRESS, or --serial N to show a whole version")
        current = _read(backend)
    else:
        from livesnap_reconcile.cli.state_versions import read_version

        current = read_version(backend, serial)
        if address is None:
            from livesnap_reconcile.state.encoding import encode_state

            click.echo(encode_state(current).decode("utf-8"), nl=False)
            return
    entry = current.resources.get(address)
    if entry is None:
        near = _matching(current.resources, address)
        hint = f"; did you mean one of: {', '.join(near[:5])}" if near else ""
        at = f" at serial {serial}" if serial is not None else ""
        raise LivesnapError(f"{address} is not in state{at}{hint}")
    click.echo(json.dumps({"address": address, **entry.to_dict(), "utc": _readable_times(entry)}, indent=2,
                          sort_keys=True))


def _readable_times(entry) -> dict[str, str]:
    """The entry's Unix times as UTC ISO 8601, beside the numbers (which stay as recorded)."""
    from livesnap_reconcile.plan.render_common import iso

    times = {"created_at": iso(entry.created_at)}
    for key in ("start", "end", "scheduled_start"):
        value = entry.attributes.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            times[f"attributes.{key}"] = iso(value)
    return times


@state.command("rm")
@click.argument("addresses", nargs=-1, required=True, metavar="ADDR...")
@manifests_option
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def state_rm(opts: GlobalOptions, addresses: tuple[str, ...], manifest_opts: tuple[Path, ...], yes: bool) -> None:
    """Forget entries (prefixes allowed). The remote objects are left as they are.

    The next plan adopts an object that still matches the manifest, or leaves it alone if not.
    """
    from livesnap_reconcile.state import locked

    backend = _backend(opts, manifest_paths((), manifest_opts))
    with locked(backend, operation="state rm", timeout=opts.lock_timeout):
        current = _read(backend)
        doomed: list[str] = []
        for pattern in addresses:
            found = _matching(current.resources, pattern)
            if not found:
                raise LivesnapError(f"{pattern} matches nothing in state; nothing was removed")
            doomed += [a for a in found if a not in doomed]
        click.echo(f"Will forget {len(doomed)} object(s) (no vendor call; the remote objects stay):")
        for address in doomed:
            click.echo(f"  x {address} (id {current.resources[address].remote_id})")
        if not yes:
            _confirm("Forget them?")
        for address in doomed:
            current = current.without(address)
        written = backend.write(current)
    click.echo(f"Forgot {len(doomed)} object(s); state serial is now {written.serial}.")


@state.command("set-endpoint")
@click.argument("provider")
@click.argument("url")
@manifests_option
@click.pass_obj
def state_set_endpoint(opts: GlobalOptions, provider: str, url: str, manifest_opts: tuple[Path, ...]) -> None:
    """Record another endpoint for PROVIDER: a sandbox moved to another loopback port.

    Only a loopback (sandbox) endpoint may become another loopback one: the objects of a real
    cloud are not at another address, so those keep refusing to mix sandbox and real clouds.
    """
    from livesnap_reconcile.state import locked
    from livesnap_reconcile.state.checks import movable_endpoint

    backend = _backend(opts, manifest_paths((), manifest_opts))
    with locked(backend, operation="state set-endpoint", timeout=opts.lock_timeout):
        current = _read(backend)
        if provider not in current.providers:
            known = ", ".join(sorted(current.providers)) or "none"
            raise LivesnapError(f"provider {provider} is not recorded in state (recorded: {known})")
        recorded = current.providers[provider]
        problem = movable_endpoint(str(recorded.get("endpoint", "")), url)
        if problem:
            raise LivesnapError(f"provider {provider}: {problem}")
        written = backend.write(current.with_provider(provider, str(recorded["vendor"]), url.rstrip("/")))
    click.echo(f"Provider {provider} now points at {url.rstrip('/')} (was {recorded.get('endpoint')}); "
               f"state serial is now {written.serial}.")


def _confirm(question: str) -> None:
    if not sys.stdin.isatty():
        raise LivesnapError("refusing to change state without confirmation: no terminal to ask on; pass --yes")
    if not click.confirm(question, default=False):
        raise LivesnapError("cancelled; state unchanged")


# --- force-unlock ---------------------------------------------------------------------------------


@click.command("force-unlock")
@click.argument("lock_id")
@click.argument("paths", nargs=-1, type=EXISTING)
@manifests_option
@click.option("--force", is_flag=True, help="Remove it even though its holder is still running on this host.")
@click.pass_obj
def force_unlock(opts: GlobalOptions, lock_id: str, paths: tuple[Path, ...], manifest_opts: tuple[Path, ...],
                 force: bool) -> None:
    """Remove a stale state lock by its id (shown in the "state is locked" error)."""
    from livesnap_reconcile.ops.locks import running_here

    backend = _backend(opts, manifest_paths(paths, manifest_opts))
    holder = backend.current_lock()
    if holder is not None and holder.id == lock_id and not force and running_here(holder):
        raise LivesnapError(f"lock {lock_id} is held by {holder.describe()}, which is still running on this "
                            "host; wait for it to finish (removing its lock lets a second writer in), or "
                            "pass --force if it is hung")
    backend.force_unlock(lock_id)
    who = f" held by {holder.describe()}" if holder is not None and holder.id == lock_id else ""
    click.echo(f"Removed lock {lock_id}{who} on {backend.path}.")


# --- import ---------------------------------------------------------------------------------------


@click.command("import")
@click.argument("address")
@click.argument("remote_id")
@click.argument("paths", nargs=-1, type=EXISTING)
@manifests_option
@click.pass_obj
def import_(opts: GlobalOptions, address: str, remote_id: str, paths: tuple[Path, ...],
            manifest_opts: tuple[Path, ...]) -> None:
    """Take the existing remote object REMOTE_ID under management as ADDR.

    ADDR must be desired by the manifests (PATH... or -m, default .). Differences between the
    remote object and the manifest are shown; the next plan repairs them.
    """
    from livesnap_reconcile.ops.importing import import_object
    from livesnap_reconcile.ops.session import open_session
    from livesnap_reconcile.ops.workflow import state_lock

    session = open_session(opts, manifest_paths(paths, manifest_opts))
    try:
        with state_lock(session, "import") as backend:
            result = import_object(session, backend, address, remote_id)
    finally:
        session.close()
    click.echo(f"Imported {address} (id {remote_id}); state serial is now {result.serial}.")
    if result.differences:
        click.echo("The remote object differs from the manifest; the next plan repairs:")
        for line in result.differences:
            click.echo(f"  ~ {line}")
    else:
        click.echo("It matches the manifest.")


def _register_version_commands() -> None:
    from livesnap_reconcile.cli.state_versions import history, migrate

    state.add_command(history)
    state.add_command(migrate)


_register_version_commands()
