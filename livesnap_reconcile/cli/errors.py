"""Maps the livesnap exception tree to one clear stderr line per problem and an exit code.

Exit codes (DESIGN.md §1): 0 success, 1 error, 2 changes/drift (set by the commands themselves).
A traceback is shown only with ``-v``.
"""

from __future__ import annotations

import traceback

import click

from livesnap_reconcile.errors import LivesnapError, ManifestError


def _verbose(argv: list[str]) -> bool:
    return "-v" in argv or "--verbose" in argv


def report(exc: BaseException) -> None:
    if isinstance(exc, ManifestError) and exc.diagnostics:
        for diag in exc.diagnostics:
            click.echo(str(diag), err=True)
        return
    click.echo(f"Error: {exc}", err=True)


def run_main(main, argv: list[str]) -> int:
    """Call a click ``main`` in non-standalone mode and turn every outcome into an exit code."""
    try:
        rc = main(args=argv, standalone_mode=False)
    except click.exceptions.Abort:  # click turns Ctrl-C outside an apply into Abort
        click.echo("Aborted.", err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return 1  # usage errors are errors; 2 means "changes" here
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except LivesnapError as exc:
        if _verbose(argv):
            traceback.print_exc()
        report(exc)
        return 1
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, never a traceback
        if _verbose(argv):
            traceback.print_exc()
        click.echo(f"Error: internal error: {type(exc).__name__}: {exc} (run with -v for details)", err=True)
        return 1
    return rc if isinstance(rc, int) else 0
