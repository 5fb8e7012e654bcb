"""The `livesnap` console script: answers a bare `--version` and a plain `validate` before importing click.

`livesnap --version` is what scripts and support requests run first, and `livesnap validate` is
what editors and pre-commit hooks run on every save; importing click (inspect, typing, uuid,
datetime, gettext) alone costs about as much as starting Python. So the one exact argument list
``["--version"]`` is answered here, in click's own wording, and ``validate PATH... [--format
text|json]`` runs the very function the click command runs (`cli.validate_report`). Everything
else, any other option included, goes to the click group in `livesnap_reconcile.cli.main`; so does
a plain validate whose report could not be built (it has printed nothing yet, and checking
manifests changes nothing), so every failure reads exactly as it does through click.
"""

from __future__ import annotations

import sys

from livesnap_reconcile import __version__

TYPE_CHECKING = False  # typing and pathlib are not loaded for `--version`
if TYPE_CHECKING:
    from pathlib import Path
    from typing import NoReturn

PROG = "livesnap"
VERSION_LINE = f"{PROG}, version {__version__}"  # what click.version_option prints for this program


def plain_validate(argv: list[str]) -> tuple[list[Path], str] | None:
    """(paths, format) when ``argv`` is ``validate`` with only paths and ``--format``; else None (click parses it)."""
    if argv[:1] != ["validate"]:
        return None
    from pathlib import Path

    paths: list[Path] = []
    fmt = "text"
    rest = iter(argv[1:])
    for arg in rest:
        if arg == "--format":
            arg = "--format=" + next(rest, "")
        if arg.startswith("--format="):
            fmt = arg.removeprefix("--format=")
            if fmt not in ("text", "json"):
                return None
        elif arg.startswith("-") or not arg:
            return None
        else:
            paths.append(Path(arg))
    return (paths, fmt) if paths else None


def _run_validate(paths: list[Path], fmt: str) -> bool:
    """Run a plain validate and exit; False when the report could not be built (click takes over)."""
    from livesnap_reconcile.cli.validate_report import validate_report

    try:
        report = validate_report(paths, fmt)
    except KeyboardInterrupt:
        _aborted(fmt)
    except Exception:  # noqa: BLE001 - click's error mapping reports it, from the same starting point
        return False
    for line in report.stderr:
        sys.stderr.write(line + "\n")
    sys.stderr.flush()
    for line in report.stdout:
        sys.stdout.write(line + "\n")
    sys.stdout.flush()
    sys.exit(report.exit_code)


def _aborted(fmt: str) -> NoReturn:
    """Ctrl-C: what click's path prints for it (a blank line, "Aborted.", the JSON error), exit 1."""
    from livesnap_reconcile.cli.errors import json_error

    sys.stderr.write("\nAborted.\n")
    sys.stderr.flush()
    if fmt == "json":
        json_error("aborted", "Aborted.")
    sys.exit(1)


def main() -> None:
    argv = sys.argv[1:]
    if argv == ["--version"]:
        sys.stdout.write(VERSION_LINE + "\n")
        sys.stdout.flush()
        return
    plain = plain_validate(argv)
    if plain is not None:
        _run_validate(*plain)
    from livesnap_reconcile.cli.main import main as click_main

    click_main()
