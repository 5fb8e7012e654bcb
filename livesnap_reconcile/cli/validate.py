"""`livesnap validate` and `livesnap schema`: offline manifest checks for people and CI.

Owns only presentation: text (one ``file:line:col: message`` line per diagnostic on stderr and a
summary line) or JSON (``{"valid", "files", "diagnostics"}`` on stdout), and the exit code (0
valid, 1 invalid; warnings never fail). Loading and the rules live in `manifest`. This module is
on the start-up path of `validate`, so it imports nothing heavy at module level.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click

from livesnap_reconcile.clock import business_now
from livesnap_reconcile.errors import ManifestError


@click.command(help="Check manifests offline and list every problem (exit 0 valid, 1 invalid).")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one file:line:col line per problem; json: a document on stdout.")
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...], fmt: str) -> None:
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
    if fmt == "json":
        document = {"valid": errors == 0, "files": files, "diagnostics": [d.to_dict() for d in diagnostics]}
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        _print_text(diagnostics, errors=errors, files=len(files))
    ctx.exit(1 if errors else 0)


def _print_text(diagnostics: list, *, errors: int, files: int) -> None:
    for diagnostic in diagnostics:
        click.echo(str(diagnostic), err=True)
    warnings = len(diagnostics) - errors
    tail = f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
    if errors:
        click.echo(f"{errors} error{'s' if errors != 1 else ''}{tail}", err=True)
    else:
        click.echo(f"{files} file{'s' if files != 1 else ''} valid{tail}")


@click.command(help="Print the manifest JSON Schema (for editors and CI).")
def schema() -> None:
    from livesnap_reconcile.manifest.schema import schema_text

    click.echo(schema_text(), nl=False)
