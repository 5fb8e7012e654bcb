"""What `livesnap validate` prints and exits with, built without click.

Both ways into the command share this one function: the click command in `cli.validate` and the
start-up fast path in `cli.entry` (a plain ``validate PATH...`` needs none of click's parsing).
The report is built completely before anything is written, so a failure while building it leaves
the terminal untouched and can be handed to click's error mapping as it stands.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

FORMATS = ("text", "json")


class ValidateReport(NamedTuple):
    stdout: tuple[str, ...]  # lines, each written with its own newline
    stderr: tuple[str, ...]
    exit_code: int  # 0 valid, 1 invalid; warnings never fail


def validate_report(paths: Sequence[Path], fmt: str) -> ValidateReport:
    """Load and check ``paths``; the lines for stdout and stderr and the exit code."""
    from datetime import UTC, datetime

    from livesnap_reconcile.clock import business_now
    from livesnap_reconcile.errors import ManifestError
    from livesnap_reconcile.manifest.load import load_manifest
    from livesnap_reconcile.manifest.validate import validate as check

    files: list[str] = []
    try:
        loaded = load_manifest(paths)
        files = [str(f) for f in loaded.files]
        # The composition root may read the clock: past windows are reported as warnings.
        diagnostics = check(loaded, now=datetime.fromtimestamp(business_now(), UTC))
    except ManifestError as exc:
        diagnostics = list(exc.diagnostics)
    errors = sum(1 for d in diagnostics if d.severity == "error")
    exit_code = 1 if errors else 0
    if fmt == "json":
        import json

        document = {"valid": errors == 0, "files": files, "diagnostics": [d.to_dict() for d in diagnostics]}
        return ValidateReport((json.dumps(document, indent=2, ensure_ascii=False),), (), exit_code)
    lines = [str(d) for d in diagnostics]
    warnings = len(diagnostics) - errors
    tail = f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
    if errors:
        return ValidateReport((), (*lines, f"{errors} error{'s' if errors != 1 else ''}{tail}"), exit_code)
    count = len(files)
    return ValidateReport((f"{count} file{'s' if count != 1 else ''} valid{tail}",), tuple(lines), exit_code)
