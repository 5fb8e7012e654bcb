"""Backend factories for tests that run against every backend: the local file and PostgreSQL.

`any_location` is a parametrized fixture body: ``"file"`` gives a fresh state file path,
``"pg"`` a fresh state name in the test cluster (the PostgreSQL case skips loudly, or fails
under CI=true, where no server binaries exist).
"""

from __future__ import annotations

from livesnap_reconcile.state.select import open_backend

KINDS = ["file", "pg"]


def location_for(request, tmp_path) -> str:
    if request.param == "pg":
        return request.getfixturevalue("pg_url")
    return str(tmp_path / ".livesnap" / "state.json")


def opener(location: str):
    """A function returning a new backend (a new connection, a new lock handle) on each call."""
    opened = []

    def make(**kwargs):
        backend = open_backend(location) if not kwargs else _with(location, **kwargs)
        opened.append(backend)
        return backend

    make.opened = opened  # type: ignore[attr-defined]
    return make


def _with(location: str, **kwargs):
    from pathlib import Path

    from livesnap_reconcile.state import LocalBackend
    from livesnap_reconcile.state.location import is_pg_url, parse_pg_url
    from livesnap_reconcile.state.postgres import PostgresBackend

    if is_pg_url(location):
        return PostgresBackend(parse_pg_url(location), **kwargs)
    return LocalBackend(Path(location), **kwargs)


def close_all(make) -> None:
    for backend in make.opened:
        if hasattr(backend, "close"):
            backend.close()
