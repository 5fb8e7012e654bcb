"""Which backend a ``--state`` value means: a PostgreSQL URL or a local file path.

Owns the choice only; ``name_default`` is asked (lazily) for the state name when a URL has no
``?name=`` (the CLI answers with the manifest namespace). psycopg is not imported here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from livesnap_reconcile.errors import StateError
from livesnap_reconcile.state.backend import StateBackend
from livesnap_reconcile.state.location import PgLocation, is_pg_url, parse_pg_url


def pg_location(value: str, name_default: Callable[[], str | None] | None = None) -> PgLocation:
    location = parse_pg_url(value)
    if location.name is None:
        name = name_default() if name_default is not None else None
        if not name:
            raise StateError(f"state URL {location.redacted} names no state and no manifest namespace "
                             "was found to default to: add ?name=NAME")
        location = location.with_name(name)
    return location


def open_backend(value: str | Path, *, name_default: Callable[[], str | None] | None = None) -> StateBackend:
    """A backend for ``value``: PostgreSQL for ``postgresql://``/``postgres://`` URLs, else a file."""
    from livesnap_reconcile.state.local import LocalBackend

    text = str(value)
    if is_pg_url(text):
        from livesnap_reconcile.state.postgres import PostgresBackend

        return PostgresBackend(pg_location(text, name_default))
    return LocalBackend(Path(value))
