"""Passwords reach PostgreSQL the libpq ways: PGPASSWORD, a pgpass file, or (with a warning from
the CLI) the URL; a wrong or missing one is a one-line error that never shows the password.

The cluster requires scram-sha-256 from the role ``pwuser`` on 127.0.0.1 (`tests/pgcluster.py`).
"""

from __future__ import annotations

import psycopg
import pytest
from click.testing import CliRunner

from livesnap_reconcile.cli.main import cli
from livesnap_reconcile.errors import StateError
from livesnap_reconcile.state import State
from livesnap_reconcile.state.select import open_backend
from tests.pgcluster import PASSWORD_ROLE

SECRET = "c0rrect-h0rse"


@pytest.fixture
def role(pg_cluster, monkeypatch) -> str:
    for name in ("PGPASSWORD", "PGPASSFILE", "PGUSER", "PGHOST", "PGPORT"):
        monkeypatch.delenv(name, raising=False)
    database = pg_cluster.create_database()  # a fresh one: the tables created are this role's
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (PASSWORD_ROLE,)).fetchone() is None:
            conn.execute(f"CREATE ROLE {PASSWORD_ROLE} LOGIN")
        conn.execute(f"ALTER ROLE {PASSWORD_ROLE} PASSWORD '{SECRET}'")
        conn.execute(f'ALTER DATABASE "{database}" OWNER TO {PASSWORD_ROLE}')
    return f"postgresql://{PASSWORD_ROLE}@127.0.0.1:{pg_cluster.port}/{database}?name=auth"


def test_pgpassword_is_used(role, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", SECRET)
    backend = open_backend(role)
    assert backend.write(State.new()).serial == 1
    backend.close()


def test_a_pgpass_file_is_used(role, pg_cluster, monkeypatch, tmp_path):
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:{pg_cluster.port}:*:{PASSWORD_ROLE}:{SECRET}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    backend = open_backend(role)
    assert backend.read() is None
    backend.close()


def test_a_missing_or_wrong_password_is_one_line_without_it(role, monkeypatch):
    with pytest.raises(StateError, match="password") as missing:
        open_backend(role).read()
    assert "\n" not in str(missing.value)
    wrong = role.replace(f"{PASSWORD_ROLE}@", f"{PASSWORD_ROLE}:n0t-{SECRET}@")
    with pytest.raises(StateError) as caught:
        open_backend(wrong).read()
    assert SECRET not in str(caught.value) and "authentication failed" in str(caught.value)


def test_a_password_in_the_url_works_with_a_warning(role, tmp_path):
    url = role.replace(f"{PASSWORD_ROLE}@", f"{PASSWORD_ROLE}:{SECRET}@")
    result = CliRunner().invoke(cli, ["--state", url, "state", "list", "-m", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "contains a password" in result.output and SECRET not in result.output
