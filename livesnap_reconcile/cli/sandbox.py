"""`livesnap sandbox serve`, `clock`, `stream` and `oidc-token`: run and steer the local vendor emulator.

A thin shell over `livesnap_reconcile.emulator`: it parses flags, starts the loopback server, prints
where it listens, the sandbox keys as ready-to-paste `export` lines and the roles to assume, takes
RTMP streams offline or live, mints OIDC tokens the sandbox's STS accepts, and stops cleanly on
SIGINT/SIGTERM. It imports click, the emulator and the business clock only.
"""

from __future__ import annotations

import signal
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import click

from livesnap_reconcile.cli.params import parse_duration
from livesnap_reconcile.clock import business_now
from livesnap_reconcile.emulator import Clock, Emulator, Faults, StoreError, serve
from livesnap_reconcile.emulator.exports import export_lines, keyless_lines
from livesnap_reconcile.emulator.identity import OIDC_PROVIDERS
from livesnap_reconcile.emulator.store import STORE_FILE

DEFAULT_DATA = Path(".livesnap/sandbox")


def parse_instant(text: str) -> float:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise click.BadParameter(f"{text!r} is not an ISO 8601 time like 2026-11-25T09:00:00+08:00") from None
    if moment.tzinfo is None:
        raise click.BadParameter(f"{text!r} has no UTC offset; add one, e.g. Z or +08:00")
    return moment.timestamp()


def _rate(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise click.BadParameter("must be between 0 and 1")
    return value


@click.group()
def sandbox() -> None:
    """Run and control the local vendor emulator (Alibaba ICE and Tencent Live)."""


@sandbox.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=0, type=click.IntRange(0, 65535), help="Port (0 picks a free one).")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_DATA,
              show_default=True, help="Directory holding the sandbox's remote state.")
@click.option("--memory", is_flag=True, help="Keep remote state in memory only (ignores --data).")
@click.option("--latency-ms", default=0.0, type=click.FloatRange(min=0), help="Latency added to every request.")
@click.option("--fail-rate", default=0.0, type=float, callback=_rate, help="Share of requests failing with 5xx/InternalError.")
@click.option("--drop-rate", default=0.0, type=float, callback=_rate,
              help="Share of committed writes whose answer is lost (connection closed).")
@click.option("--rps", default=None, type=click.FloatRange(min=0),
              help="Requests per second per action, replacing the vendors' documented limits (0 = none).")
@click.option("--seed", default=0, type=int, show_default=True, help="Seed for the fault dice (runs replay).")
def serve_cmd(host: str, port: int, data_dir: Path, memory: bool, latency_ms: float, fail_rate: float,
              drop_rate: float, rps: float | None, seed: int) -> None:
    """Serve both vendors' snapshot APIs over HTTP until Ctrl-C or SIGTERM."""
    faults = Faults(latency_ms=latency_ms, fail_rate=fail_rate, drop_rate=drop_rate, rps=rps)
    try:
        emulator = Emulator(data_dir=None if memory else data_dir, faults=faults, seed=seed, wall=business_now)
        server = serve(emulator, host=host, port=port)
    except (OSError, StoreError, ValueError) as exc:
        raise click.ClickException(f"cannot start the sandbox: {exc}") from None
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    where = "in memory" if memory else str(data_dir)
    lines = [f"livesnap sandbox listening on {server.url} (state: {where}, seed {seed})",
             f"# point a provider at it with  endpoint: {server.url}", *export_lines(), *keyless_lines()]
    click.echo("\n".join(lines))
    sys.stdout.flush()  # show at once even when piped or logged
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.shutdown()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo("livesnap sandbox stopped.")


serve_cmd.name = "serve"


def _is_sandbox(data_dir: Path) -> bool:
    return (data_dir / STORE_FILE).is_file() or (data_dir / "clock.json").is_file()


@sandbox.command()
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_DATA,
              show_default=True, help="Sandbox directory whose clock to show or move.")
@click.option("--set", "set_to", default=None, help="Freeze business time at this ISO 8601 instant.")
@click.option("--advance", default=None, help="Move business time by a duration (2h, 90m, -30m).")
@click.option("--reset", is_flag=True, help="Go back to real time.")
@click.option("--create", is_flag=True, help="Start a new sandbox there if none exists yet (e.g. to freeze its "
              "clock before the first apply); without it a missing or mistyped --data is an error.")
def clock(data_dir: Path, set_to: str | None, advance: str | None, reset: bool, create: bool) -> None:
    """Show (or set, advance, reset) the sandbox's business time."""
    if sum(x is not None and x is not False for x in (set_to, advance, reset or None)) > 1:
        raise click.UsageError("use at most one of --set, --advance and --reset")
    if not create and not _is_sandbox(data_dir):
        raise click.ClickException(f"no sandbox at {data_dir} (a sandbox directory holds store.json or "
                                   "clock.json): check --data, or pass --create to start a new one there")
    try:
        sandbox_clock = Clock(path=data_dir / "clock.json", wall=business_now)
        if set_to is not None:
            sandbox_clock.set(parse_instant(set_to))
        elif advance is not None:
            sandbox_clock.advance(parse_duration(advance, allow_negative=True))
        elif reset:
            sandbox_clock.reset()
        now = sandbox_clock.now()
    except (OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    mode = "frozen" if sandbox_clock.frozen else "running"
    stamp = datetime.fromtimestamp(now, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    click.echo(f"{stamp} ({int(now)}, {mode})")


@sandbox.command()
@click.argument("rtmp_url")
@click.option("--offline/--live", default=True, show_default=True,
              help="Take the stream offline (its ICE jobs stop running and cannot start) or bring it back.")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_DATA,
              show_default=True, help="Sandbox directory whose stream to change.")
def stream(rtmp_url: str, offline: bool, data_dir: Path) -> None:
    """Mark an ICE RTMP stream offline or live, as if its encoder stopped or started pushing."""
    if not _is_sandbox(data_dir):
        raise click.ClickException(f"no sandbox at {data_dir} (a sandbox directory holds store.json or "
                                   "clock.json): check --data")
    try:
        Emulator(data_dir=data_dir, wall=business_now).set_stream_offline(rtmp_url, offline)
    except (OSError, StoreError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{rtmp_url} is {'offline' if offline else 'live'}"
               + (" (its running jobs fell back to init)" if offline else " (start its jobs with `livesnap apply`)"))


@sandbox.command("oidc-token")
@click.option("--vendor", type=click.Choice(sorted(OIDC_PROVIDERS)), required=True,
              help="Whose STS audience the token is for.")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_DATA,
              show_default=True, help="Sandbox directory whose clock dates the token.")
@click.option("--lifetime", default="10m", show_default=True, help="How long the token is valid (sandbox time).")
@click.option("--subject", default="repo:example/manifests:ref:refs/heads/main", show_default=True,
              help="The token's sub claim.")
def oidc_token(vendor: str, data_dir: Path, lifetime: str, subject: str) -> None:
    """Print an OIDC token the sandbox's STS accepts, like the one a CI job gets (not a secret)."""
    from livesnap_reconcile.emulator.identity import Identity

    try:
        sandbox_clock = Clock(path=data_dir / "clock.json", wall=business_now)
        seconds = int(parse_duration(lifetime))
    except (OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(Identity(now=sandbox_clock.now).mint_oidc(vendor, subject=subject, lifetime=seconds))
