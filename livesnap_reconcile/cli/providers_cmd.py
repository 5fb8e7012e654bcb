"""`livesnap providers`: per provider, the credential source chosen, its identity and its expiry.

Owns the command and its text/JSON views. It resolves credentials exactly as `plan` would (the same
chains, so a CI job can check its keyless setup before planning) and prints no secret or token:
what to print comes from `providers.describe`. Exit 1 (one line per provider) when one has none.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from livesnap_reconcile.cli.main import GlobalOptions


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def providers(opts: GlobalOptions, paths: tuple[Path, ...], fmt: str) -> None:
    """Show which credentials each provider of the manifests would use (never a secret).

    For each provider: the credential source (env keys, a profile, an assumed role, OIDC, an instance
    role), the identity the vendor reports for it (STS GetCallerIdentity) and when it expires.
    """
    from livesnap_reconcile.ops.session import build_providers, load_desired, open_session
    from livesnap_reconcile.providers.describe import describe

    session = open_session(opts, paths)
    try:
        _, desired = load_desired(session, now=session.now())
        built = build_providers(session, desired.providers)
        rows = [describe(built[name]) for name in sorted(built)]
    finally:
        session.close()
    if fmt == "json":
        click.echo(json.dumps({"providers": rows}, indent=2, sort_keys=True))
        return
    for row in rows:
        parts = [f"role {row['identity']}"] if row["identity"] else []
        parts.append(f"as {row['caller']}" if row["caller"] else f"key {row['key_id']}")
        if row["caller_error"]:
            parts.append(f"(identity not confirmed: {row['caller_error']})")
        identity = " ".join(parts)
        expiry = f"expires {row['expires_at']}" if row["expires_at"] else "no expiry"
        click.echo(f"{row['provider']} ({row['vendor']}, {row['endpoint']}): {row['source']}; {identity}; {expiry}")
