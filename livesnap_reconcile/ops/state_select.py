"""Which state backend a command uses: ``--state``, then ``LIVESNAP_STATE``, then the default file.

Owns that order, the default state name of a PostgreSQL URL without ``?name=`` (the manifest
``namespace``, read from the manifest PATHs only when needed), and the one-line warning when a URL
carries a password (visible in process lists; the password itself is never printed). With
``--sandbox`` only an explicit ``--state`` counts: ``LIVESNAP_STATE`` names the team's real state,
which a sandbox run must never touch.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from livesnap_reconcile.ops.options import GlobalOptions

ENV_VAR = "LIVESNAP_STATE"
_warned: set[str] = set()


def _to_stderr(text: str) -> None:
    print(text, file=sys.stderr)


# How a warning reaches the user; the CLI routes it through its own output (see cli.main).
warn: Callable[[str], None] = _to_stderr


def state_value(opts: GlobalOptions, paths: Sequence[Path], *, sandbox: bool) -> str | Path:
    """What the state location is for this run: a URL string or a file path."""
    from livesnap_reconcile.state import default_state_path, sandbox_state_path

    if opts.state:
        return opts.state
    if sandbox:
        return sandbox_state_path(paths)
    from_env = os.environ.get(ENV_VAR, "").strip()
    return from_env or default_state_path(paths)


def open_backend_for(opts: GlobalOptions, paths: Sequence[Path], *, sandbox: bool):
    return open_value(state_value(opts, paths, sandbox=sandbox), paths)


def open_value(value: str | Path, paths: Sequence[Path]):
    """A backend for ``value``; a URL's password triggers the warning once per process."""
    from livesnap_reconcile.state.location import is_pg_url, parse_pg_url
    from livesnap_reconcile.state.select import open_backend

    text = str(value)
    if is_pg_url(text):
        location = parse_pg_url(text)
        if location.has_password and location.redacted not in _warned:
            _warned.add(location.redacted)
            warn("Warning: the state URL contains a password, which other users can see in process "
                 "lists; prefer PGPASSWORD or ~/.pgpass")
    return open_backend(value, name_default=lambda: manifest_namespace(paths))


def manifest_namespace(paths: Sequence[Path]) -> str | None:
    """The ``namespace`` of the manifests at ``paths``, or None when they cannot be read."""
    from livesnap_reconcile.errors import LivesnapError
    from livesnap_reconcile.manifest.load import load_manifest

    try:
        namespace = load_manifest(list(paths)).data.get("namespace")
    except (LivesnapError, OSError):
        return None
    return namespace if isinstance(namespace, str) and namespace else None
