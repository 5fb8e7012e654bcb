"""What only the PostgreSQL backend does, against the real server the tests start.

What we test here: tables and the schema version are created on first use (and a newer schema is
refused); the stored body is byte for byte the file backend's; history is bounded by the URL's
retention; a lost connection while holding the lock is a clear error; connection failures are one
line that never shows the URL's password; force-unlock ends the holder's session.
"""

from __future__ import annotations

import psycopg
import pytest

from livesnap_reconcile.errors import StateError
from livesnap_reconcile.state.encoding import encode_state
from livesnap_reconcile.state.location import parse_pg_url
from livesnap_reconcile.state.pg_schema import SCHEMA_VERSION
from livesnap_reconcile.state.postgres import PostgresBackend
from livesnap_reconcile.state.select import open_backend
from tests.state.helpers import entry, sample_state


def conninfo(url: str) -> str:
    return parse_pg_url(url).conninfo


def test_tables_and_schema_version_are_created_on_first_use(pg_empty_db_url):
    with psycopg.connect(conninfo(pg_empty_db_url)) as conn:
        assert conn.execute("SELECT to_regclass('livesnap_states')").fetchone() == (None,)
    backend = open_backend(pg_empty_db_url)
    assert backend.read() is None
    backend.close()
    with psycopg.connect(conninfo(pg_empty_db_url)) as conn:
        assert conn.execute("SELECT version FROM livesnap_schema").fetchall() == [(SCHEMA_VERSION,)]
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE 'livesnap_%'")}
    assert tables == {"livesnap_schema", "livesnap_states", "livesnap_history", "livesnap_locks"}


def test_a_newer_schema_is_refused_and_left_alone(pg_empty_db_url):
    open_backend(pg_empty_db_url).read()
    with psycopg.connect(conninfo(pg_empty_db_url), autocommit=True) as conn:
        conn.execute("UPDATE livesnap_schema SET version = %s", (SCHEMA_VERSION + 1,))
    with pytest.raises(StateError, match="newer than this livesnap knows"):
        open_backend(pg_empty_db_url).read()


def test_the_stored_body_is_exactly_the_file_format(pg_url):
    backend = open_backend(pg_url)
    written = backend.write(sample_state())
    with psycopg.connect(conninfo(pg_url)) as conn:
        body = conn.execute("SELECT body FROM livesnap_states WHERE name = %s", (backend.name,)).fetchone()[0]
    assert body.encode() == encode_state(written)


def test_history_is_bounded_by_the_retention(pg_cluster):
    backend = open_backend(pg_cluster.url(name="bounded", retention="3"))
    state = backend.read() or sample_state()
    for i in range(6):
        state = backend.write(state.with_entry(entry(f"template.t{i}", remote_id=f"t{i}")))
    assert [v.serial for v in backend.history()] == [6, 5, 4]
    assert [(v.added, v.removed, v.operation) for v in backend.history()][0] == (1, 0, "write")
    assert backend.read_serial(3) is None and backend.read_serial(4) is not None


def test_operation_and_who_of_the_lock_holder_go_into_history(pg_url):
    backend = PostgresBackend(parse_pg_url(pg_url), who="ci@runner-7")
    info = backend.lock(operation="apply", timeout=1)
    backend.write(sample_state())
    backend.unlock(info)
    (version,) = backend.history()
    assert (version.who, version.operation, version.resources) == ("ci@runner-7", "apply", 2)
    assert version.written_at.endswith("Z")


def test_a_connection_lost_while_locked_is_a_clear_error_and_the_lock_is_free(pg_url):
    backend = open_backend(pg_url)
    info = backend.lock(operation="apply", timeout=1)
    with psycopg.connect(conninfo(pg_url), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(backend_pid) FROM livesnap_locks WHERE lock_id = %s", (info.id,))
    with pytest.raises(StateError):
        backend.write(sample_state())
    with pytest.raises(StateError, match="lost the connection"):
        backend.read()
    backend.unlock(info)  # harmless: PostgreSQL already released it
    other = open_backend(pg_url)
    other.unlock(other.lock(operation="plan", timeout=0))


def test_connection_failures_are_one_line_without_the_password():
    url = "postgresql://livesnap:s3cr%3At@127.0.0.1:1/postgres?name=x&connect_timeout=2"  # nothing listens on port 1
    backend = open_backend(url)
    assert "s3cr" not in backend.describe() and "***" in backend.describe()
    with pytest.raises(StateError) as caught:
        backend.read()
    text = str(caught.value)
    assert "s3cr" not in text and "\n" not in text and "127.0.0.1" in text


def test_force_unlock_ends_the_holders_session(pg_url):
    holder, other = open_backend(pg_url), open_backend(pg_url)
    info = holder.lock(operation="apply", timeout=1)
    other.force_unlock(info.id)
    other.unlock(other.lock(operation="plan", timeout=5))
    with pytest.raises(StateError):
        holder.write(sample_state())


def test_a_missing_schema_row_is_repaired_by_the_next_use(pg_empty_db_url):
    backend = open_backend(pg_empty_db_url)
    written = backend.write(sample_state())
    backend.close()
    with psycopg.connect(conninfo(pg_empty_db_url), autocommit=True) as conn:
        conn.execute("DELETE FROM livesnap_schema")
    again = open_backend(pg_empty_db_url)
    assert again.read() == written  # the forward migrations are idempotent and keep the data
    with psycopg.connect(conninfo(pg_empty_db_url)) as conn:
        assert conn.execute("SELECT version FROM livesnap_schema").fetchall() == [(SCHEMA_VERSION,)]


def test_without_psycopg_the_error_says_which_extra_to_install(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)
    backend = open_backend("postgresql://db.invalid/x?name=n")
    with pytest.raises(StateError, match=r"livesnap-reconcile\[postgres\]"):
        backend.read()
