"""The `livesnap` console script: answers a bare `--version` before importing click.

`livesnap --version` is what scripts and support requests run first; importing click (inspect,
typing, uuid, datetime, gettext) alone costs about as much as starting Python, so the one exact
argument list ``["--version"]`` is answered here, in click's own wording. Everything else, any
other argument included, goes to the click group in `livesnap_reconcile.cli.main`.
"""

from __future__ import annotations

import sys

from livesnap_reconcile import __version__

PROG = "livesnap"
VERSION_LINE = f"{PROG}, version {__version__}"  # what click.version_option prints for this program


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        sys.stdout.write(VERSION_LINE + "\n")
        sys.stdout.flush()
        return
    from livesnap_reconcile.cli.main import main as click_main

    click_main()
