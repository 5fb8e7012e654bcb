"""The CLI on a PostgreSQL state (the sandbox for vendors, a real server for state).

What we test here: a URL without ``?name=`` stores the state under the manifest namespace;
``LIVESNAP_STATE`` is used when ``--state`` is absent, and ignored with ``--sandbox``; history
lists the apply's serials; a held lock is reported with its holder through the CLI, and
force-unlock frees it; a password in the URL is warned about and never printed.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from livesnap_reconcile.cli.main import cli
from livesnap_reconcile.state.select import open_backend
from tests.gitops.conftest import ALL, TASKS
from tests.state.helpers import Holder


@pytest.fixture
def db_url(pg_cluster) -> str:
    return pg_cluster.url(pg_cluster.create_database())


@pytest.fixture
def applied_pg(ws, db_url):
    result = ws.run("apply", str(ws.root), "--auto-approve", "--state", db_url)
    assert result.exit_code == 0, result.output
    return ws


def test_a_url_without_a_name_uses_the_manifest_namespace(applied_pg, db_url):
    state = open_backend(db_url + "?name=gitops").read()
    assert state is not None and sorted(state.resources) == sorted(ALL)
    assert not applied_pg.state_path.exists()  # nothing went to the sandbox's state file


def test_livesnap_state_is_used_without_state_and_ignored_with_sandbox(applied_pg, db_url, monkeypatch):
    monkeypatch.setenv("LIVESNAP_STATE", db_url)
    listed = CliRunner().invoke(cli, ["state", "list", str(applied_pg.root)])
    assert listed.exit_code == 0 and TASKS[0] in listed.stdout, listed.output
    sandboxed = applied_pg.run("state", "list", str(applied_pg.root))
    assert sandboxed.exit_code == 0 and "No objects in state" in sandboxed.stdout


def test_history_lists_the_serials_of_the_apply(applied_pg, db_url):
    result = applied_pg.run("state", "history", str(applied_pg.root), "--state", db_url)
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()
    assert rows[0].split()[:2] == ["SERIAL", "WRITTEN"]
    assert all(" apply " in row for row in rows[1:]) and rows[-1].startswith("1 ")
    shown = applied_pg.run("state", "show", TASKS[0], str(applied_pg.root), "--state", db_url, "--serial", "1")
    assert shown.exit_code == 1 and "not in state at serial 1" in shown.stderr  # templates come first


def test_a_held_lock_is_reported_through_the_cli_and_force_unlock_frees_it(applied_pg, db_url):
    holder = Holder(db_url + "?name=gitops", operation="apply")
    try:
        busy = applied_pg.run("state", "rm", TASKS[0], "--yes", "-m", str(applied_pg.root), "--state", db_url,
                              "--lock-timeout", "1s")
        assert busy.exit_code == 1
        assert "state is locked by" in busy.stderr and f"pid {holder.proc.pid}, apply" in busy.stderr
        assert holder.info["id"] in busy.stderr and "Traceback" not in busy.stderr
        alive = applied_pg.run("force-unlock", holder.info["id"], str(applied_pg.root), "--state", db_url)
        assert alive.exit_code == 1 and "still running on this host" in alive.stderr
        freed = applied_pg.run("force-unlock", holder.info["id"], str(applied_pg.root), "--state", db_url,
                               "--force")
        assert freed.exit_code == 0, freed.output
        done = applied_pg.run("state", "rm", TASKS[0], "--yes", "-m", str(applied_pg.root), "--state", db_url,
                              "--lock-timeout", "5s")
        assert done.exit_code == 0, done.output
    finally:
        holder.finish()


def test_a_password_in_the_url_is_warned_about_and_never_printed(ws, db_url):
    url = db_url.replace("livesnap@", "livesnap:Sup3rS3cret@")
    result = ws.run("apply", str(ws.root), "--auto-approve", "--state", url)
    assert result.exit_code == 0, result.output
    assert result.stderr.count("contains a password") == 1
    for args in (["state", "list", "--format", "json"], ["state", "history"], ["plan"]):
        out = ws.run(*args, str(ws.root), "--state", url)
        assert "Sup3rS3cret" not in out.output, out.output
    closed_port = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:1", url)  # nothing listens on port 1
    broken = ws.run("state", "list", str(ws.root), "--state", closed_port)
    assert broken.exit_code == 1 and "Sup3rS3cret" not in broken.output and "Traceback" not in broken.output


def test_show_serial_takes_a_manifest_path_without_an_address(applied_pg, db_url, monkeypatch):
    monkeypatch.chdir(applied_pg.root.parent)
    result = applied_pg.run("state", "show", "--serial", "1", applied_pg.root.name, "--state", db_url)
    assert result.exit_code == 0, result.output
    assert '"serial": 1' in result.stdout and '"lineage"' in result.stdout
