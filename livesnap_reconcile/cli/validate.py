"""`livesnap validate` and `livesnap schema`: offline manifest checks for people and CI.

Owns only presentation: text (one ``file:line:col: message`` line per diagnostic on stderr and a
summary line) or JSON (``{"valid", "files", "diagnostics"}`` on stdout), and the exit code (0
valid, 1 invalid; warnings never fail), built by `validate_report` (which `cli.entry` also calls
for a plain ``validate PATH...`` without click). Loading and the rules live in `manifest`.
"""

from __future__ import annotations

from pathlib import Path

import click

from livesnap_reconcile.cli.validate_report import FORMATS, validate_report


@click.command(help="Check manifests offline and list every problem (exit 0 valid, 1 invalid).")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text: one file:line:col line per problem; json: a document on stdout.")
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...], fmt: str) -> None:
    report = validate_report(paths, fmt)
    for line in report.stderr:
        click.echo(line, err=True)
    for line in report.stdout:
        click.echo(line)
    ctx.exit(report.exit_code)


@click.command(help="Print the manifest JSON Schema (for editors and CI).")
def schema() -> None:
    from livesnap_reconcile.manifest.schema import schema_text

    click.echo(schema_text(), nl=False)
