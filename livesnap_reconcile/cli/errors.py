"""Maps the livesnap exception tree to one clear stderr line per problem and an exit code.

Exit codes (DESIGN.md §1): 0 success, 1 error, 2 changes/drift (set by the commands themselves).
A traceback is shown only with ``-v``. With ``--format json`` a failure is also a JSON document
on stdout (``{"error": {"type", "message", "diagnostics"}}``), so a program reading stdout gets
JSON whatever happened, never half a plan.
"""

from __future__ import annotations

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


def _wants_json(argv: list[str]) -> bool:
    return "--format=json" in argv or any(a == "--format" and b == "json" for a, b in zip(argv, argv[1:], strict=False))


def json_error(kind: str, message: str, exc: BaseException | None = None) -> None:
    import json  # only on failure: a successful command never pays for it

    diagnostics = [d.to_dict() for d in exc.diagnostics] if isinstance(exc, ManifestError) else []
    click.echo(json.dumps({"error": {"type": kind, "message": message, "diagnostics": diagnostics}},
                          indent=2, ensure_ascii=False))


def _print_traceback() -> None:
    import traceback

    traceback.print_exc()


def run_main(main, argv: list[str]) -> int:
    """Call a click ``main`` in non-standalone mode and turn every outcome into an exit code."""
    as_json = _wants_json(argv)
    try:
        rc = main(args=argv, standalone_mode=False)
    except click.exceptions.Abort:  # click turns Ctrl-C outside an apply into Abort
        click.echo("Aborted.", err=True)
        if as_json:
            json_error("aborted", "Aborted.")
        return 1
    except click.ClickException as exc:
        exc.show()
        if as_json:
            json_error("usage", exc.format_message())
        return 1  # usage errors are errors; 2 means "changes" here
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except LivesnapError as exc:
        if _verbose(argv):
            _print_traceback()
        report(exc)
        if as_json:
            json_error(type(exc).__name__, str(exc), exc)
        return 1
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, never a traceback
        if _verbose(argv):
            _print_traceback()
        message = f"internal error: {type(exc).__name__}: {exc} (run with -v for details)"
        click.echo(f"Error: {message}", err=True)
        if as_json:
            json_error("internal", message)
        return 1
    return rc if isinstance(rc, int) else 0
