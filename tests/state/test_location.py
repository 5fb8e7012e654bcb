"""Parsing ``--state`` values (no server needed): which backend, livesnap's own URL parameters,
and the redacted form that is the only one ever printed."""

from __future__ import annotations

import pytest

from livesnap_reconcile.errors import StateError
from livesnap_reconcile.state import State
from livesnap_reconcile.state.location import DEFAULT_RETENTION, is_pg_url, parse_pg_url
from livesnap_reconcile.state.select import open_backend, pg_location


@pytest.mark.parametrize("value, expected", [
    ("postgresql://db/x", True), ("postgres://db/x", True), ("POSTGRESQL://db", True),
    (".livesnap/state.json", False), ("/tmp/postgresql/state.json", False), ("mysql://db", False),
])
def test_urls_select_postgresql_and_anything_else_is_a_path(value, expected):
    assert is_pg_url(value) is expected


def test_name_and_retention_are_taken_out_and_libpq_parameters_kept():
    loc = parse_pg_url("postgres://ci@db.internal:6432/livesnap?sslmode=verify-full&name=newsroom&retention=50")
    assert loc.name == "newsroom" and loc.retention == 50 and not loc.has_password
    assert loc.conninfo == "postgresql://ci@db.internal:6432/livesnap?sslmode=verify-full"
    assert loc.redacted == "postgresql://ci@db.internal:6432/livesnap?sslmode=verify-full&name=newsroom"


def test_a_password_is_flagged_and_never_in_the_redacted_form():
    loc = parse_pg_url("postgresql://ci:hunter2@db/livesnap?name=n")
    assert loc.has_password and "hunter2" in loc.conninfo
    assert "hunter2" not in loc.redacted and "ci:***@db" in loc.redacted
    backend = open_backend("postgresql://ci:hunter2@db/livesnap?name=n")  # no connection until used
    assert "hunter2" not in backend.describe() and "hunter2" not in str(backend.path)


def test_the_name_defaults_to_what_the_caller_supplies():
    assert pg_location("postgresql:///livesnap", lambda: "newsroom").name == "newsroom"
    assert parse_pg_url("postgresql:///livesnap").retention == DEFAULT_RETENTION
    with pytest.raises(StateError, match=r"add \?name=NAME"):
        pg_location("postgresql:///livesnap", lambda: None)


@pytest.mark.parametrize("url, message", [
    ("postgresql:///db?name=bad name", "not valid"),
    ("postgresql:///db?name=n&retention=0", "retention must be a positive"),
    ("postgresql:///db?name=n&retention=lots", "retention must be a positive"),
])
def test_bad_livesnap_parameters_are_refused(url, message):
    with pytest.raises(StateError, match=message):
        parse_pg_url(url)


@pytest.mark.parametrize("url, conninfo", [
    ("postgresql:///livesnap?name=x", "postgresql:///livesnap"),  # host, user ... from PG* / libpq defaults
    ("postgres://?name=x", "postgresql://"),
    ("postgresql://h1:5432,h2:5433/db?target_session_attrs=read-write&name=x",
     "postgresql://h1:5432,h2:5433/db?target_session_attrs=read-write"),
])
def test_urls_without_a_host_or_with_several_stay_libpq_urls(url, conninfo):
    assert parse_pg_url(url).conninfo == conninfo


def test_libpq_environment_fills_in_what_the_url_leaves_out(pg_cluster, monkeypatch):
    monkeypatch.setenv("PGHOST", "127.0.0.1")
    monkeypatch.setenv("PGPORT", str(pg_cluster.port))
    monkeypatch.setenv("PGUSER", "livesnap")
    backend = open_backend("postgresql:///postgres?name=from-env")
    assert backend.read() is None
    assert backend.write(State.new()).serial == 1
    backend.close()
