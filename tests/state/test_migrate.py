"""`state migrate`: local → PostgreSQL → local keeps the bytes, lineage and serial; the source
is untouched; a target of another lineage is refused; the CLI prints no password."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from livesnap_reconcile.cli.main import cli
from livesnap_reconcile.errors import StateCorrupt, StateError
from livesnap_reconcile.state import LocalBackend, State
from livesnap_reconcile.state.migrate import migrate
from livesnap_reconcile.state.select import open_backend
from tests.state.helpers import entry, sample_state


def test_local_to_postgresql_to_local_is_byte_identical(tmp_path, pg_url):
    source_path = tmp_path / "a" / "state.json"
    source = LocalBackend(source_path)
    written = source.write(source.write(sample_state()).with_entry(entry("template.x", remote_id="x")))
    before = source_path.read_bytes()
    pg = open_backend(pg_url)
    assert migrate(source, pg, timeout=1) == written
    back = LocalBackend(tmp_path / "b" / "state.json")
    assert migrate(pg, back, timeout=1) == written
    assert (tmp_path / "b" / "state.json").read_bytes() == before
    assert source_path.read_bytes() == before
    assert not (tmp_path / "a" / "state.json.lock").exists()
    assert pg.read() == written and pg.read().serial == 2


def test_a_target_with_another_lineage_is_refused_and_kept(tmp_path, pg_url):
    pg = open_backend(pg_url)
    theirs = pg.write(State.new().with_entry(entry()))
    source = LocalBackend(tmp_path / "state.json")
    source.write(sample_state())
    with pytest.raises(StateCorrupt, match="another state"):
        migrate(source, pg, timeout=1)
    assert pg.read() == theirs


def test_an_empty_source_or_the_same_backend_is_refused(tmp_path):
    with pytest.raises(StateError, match="holds no state"):
        migrate(LocalBackend(tmp_path / "none.json"), LocalBackend(tmp_path / "t.json"), timeout=1)
    with pytest.raises(StateError, match="both"):
        migrate(LocalBackend(tmp_path / "s.json"), LocalBackend(tmp_path / "s.json"), timeout=1)


def test_the_cli_copies_and_warns_about_a_password_without_printing_it(tmp_path, pg_cluster):
    local = tmp_path / "state.json"
    LocalBackend(local).write(sample_state())
    url = pg_cluster.url(name="cli-migrate").replace("livesnap@", "livesnap:pa55word@")
    result = CliRunner().invoke(cli, ["--state", str(local), "state", "migrate", "--to", url])
    assert result.exit_code == 0, result.output
    assert "pa55word" not in result.output and "password" in result.output
    assert "serial 1" in result.output
    shown = CliRunner().invoke(cli, ["--state", url, "state", "history", "--format", "json"])
    assert shown.exit_code == 0 and "pa55word" not in shown.output
    serial = CliRunner().invoke(cli, ["--state", url, "state", "show", "--serial", "1"])
    assert serial.exit_code == 0 and serial.stdout == local.read_text()
