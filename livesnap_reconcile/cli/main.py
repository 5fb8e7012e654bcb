"""The `livesnap` command group: global options, lazy sub-command loading, error-to-exit mapping.

Sub-commands live in their own modules and are imported only when invoked, so `--help`,
`--version` and `validate` never pay for httpx, deepdiff or the emulator.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from livesnap_reconcile import __version__
from livesnap_reconcile.cli.entry import PROG
from livesnap_reconcile.cli.params import parse_duration
from livesnap_reconcile.ops.options import GlobalOptions

# name -> "module:attribute"; each module owns its command(s).
COMMANDS: dict[str, str] = {
    "validate": "livesnap_reconcile.cli.validate:validate",
    "schema": "livesnap_reconcile.cli.validate:schema",
    "plan": "livesnap_reconcile.cli.plan:plan",
    "apply": "livesnap_reconcile.cli.apply:apply",
    "show": "livesnap_reconcile.cli.plan:show",
    "drift": "livesnap_reconcile.cli.drift:drift",
    "import": "livesnap_reconcile.cli.state_cmds:import_",
    "state": "livesnap_reconcile.cli.state_cmds:state",
    "force-unlock": "livesnap_reconcile.cli.state_cmds:force_unlock",
    "reconcile": "livesnap_reconcile.cli.reconcile:reconcile",
    "sandbox": "livesnap_reconcile.cli.sandbox:sandbox",
    "providers": "livesnap_reconcile.cli.providers_cmd:providers",
}

HELP: dict[str, str] = {
    "validate": "Check manifests offline and list every problem.",
    "schema": "Print the manifest JSON Schema.",
    "plan": "Show what apply would change.",
    "apply": "Apply a saved plan, or plan and apply manifests.",
    "show": "Render a saved plan again.",
    "drift": "Report what changed outside livesnap (read-only).",
    "import": "Take an existing remote object under management.",
    "state": "Inspect, forget, version or migrate the state.",
    "force-unlock": "Remove a stale state lock.",
    "reconcile": "Plan and apply in a loop.",
    "sandbox": "Run the local vendor emulator.",
    "providers": "Show each provider's credential source, identity and expiry.",
}



class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            return None
        command: click.Command = getattr(module, attr)
        _accept_global_options(command)
        return command

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[override]
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        from livesnap_reconcile.cli.errors import run_main

        argv = list(sys.argv[1:] if args is None else args)
        sys.exit(run_main(lambda **kw: super(LazyGroup, self).main(
            prog_name=prog_name or "livesnap", complete_var=complete_var, **kw, **extra), argv))

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Short help comes from a table so `--help` imports no sub-command module.
        rows = [(name, HELP.get(name, "")) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _set_global(name: str, convert=lambda v: v):
    def callback(ctx: click.Context, param: click.Parameter, value):
        if value not in (None, False) and isinstance(ctx.obj, GlobalOptions):
            setattr(ctx.obj, name, convert(value))
        return value

    return callback


def _set_progress(ctx: click.Context, param: click.Parameter, value: bool | None) -> bool | None:
    if value is not None and isinstance(ctx.obj, GlobalOptions):  # --no-progress (False) counts too
        ctx.obj.progress = value
    return value


def _global_params() -> list[click.Parameter]:
    """The group's options, also accepted after the sub-command (`livesnap apply --sandbox ...`)."""
    return [
        click.Option(["--state", "_g_state"], metavar="PATH|URL", default=None, expose_value=False,
                     callback=_set_global("state"), help="State file or postgresql:// URL (same as before the command)."),
        click.Option(["--sandbox", "_g_sandbox"], is_flag=True, default=False, expose_value=False,
                     callback=_set_global("sandbox"), help="Use the embedded emulator."),
        click.Option(["--lock-timeout", "_g_lock_timeout"], default=None, expose_value=False,
                     callback=_set_global("lock_timeout", lambda v: parse_duration(v)),
                     help="How long to wait for the state lock."),
        click.Option(["--no-color", "_g_no_color"], is_flag=True, default=False, expose_value=False,
                     callback=_set_global("color", lambda v: False), help="No colour."),
        click.Option(["--progress/--no-progress", "_g_progress"], default=None, expose_value=False,
                     callback=_set_progress, help="The progress line on stderr (default: when it is a terminal)."),
        click.Option(["-v", "--verbose", "_g_verbose"], is_flag=True, default=False, expose_value=False,
                     callback=_set_global("verbose"), help="Show tracebacks."),
    ]


def _accept_global_options(command: click.Command) -> None:
    if getattr(command, "_livesnap_globals", False):
        return
    command._livesnap_globals = True  # type: ignore[attr-defined]
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _accept_global_options(sub)
    taken = {opt for p in command.params for opt in getattr(p, "opts", [])}
    command.params.extend(p for p in _global_params() if not taken & set(p.opts))


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name=PROG)
@click.option("--state", "state_path", metavar="PATH|URL", default=None,
              help="State file (default .livesnap/state.json beside the manifests, or $LIVESNAP_STATE) "
                   "or postgresql://HOST:PORT/DB?name=NAME.")
@click.option("--sandbox", is_flag=True, help="Talk to the embedded emulator instead of the clouds.")
@click.option("--lock-timeout", default="30s", show_default=True, help="How long to wait for the state lock.")
@click.option("--no-color", is_flag=True, help="No colour (also NO_COLOR).")
@click.option("--progress/--no-progress", default=None,
              help="A progress line (phase, done, rate, ETA) on stderr during loads, refreshes and applies. "
                   "Default: when stderr is a terminal.")
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks and debug detail.")
@click.pass_context
def cli(ctx: click.Context, state_path: str | None, sandbox: bool, lock_timeout: str,
        no_color: bool, progress: bool | None, verbose: bool) -> None:
    """Declarative reconciler for live-stream snapshot jobs (Alibaba ICE, Tencent Live)."""
    color = not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()
    ctx.obj = GlobalOptions(state=state_path, sandbox=sandbox, lock_timeout=parse_duration(lock_timeout),
                            color=color, verbose=verbose, progress=progress)
    from livesnap_reconcile.ops import state_select

    state_select.warn = lambda text: click.echo(text, err=True)  # the workflows print nothing themselves


def main() -> None:
    cli.main(prog_name="livesnap")
