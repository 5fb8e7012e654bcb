"""`livesnap state list|show|rm` and `force-unlock` against a sandbox workspace.

What we test here: list (text and JSON) shows kind, remote id and status; show prints one entry
as JSON; rm refuses without a terminal or --yes, forgets with --yes without any vendor call and
bumps the serial; a later plan adopts the forgotten objects instead of creating duplicates;
force-unlock removes a held lock by id and refuses a wrong id.
"""

from __future__ import annotations

import json

from livesnap_reconcile.state import LocalBackend
from tests.gitops.conftest import ALL, TASKS


def test_list_text_and_json(applied):
    text = applied.run("state", "list", str(applied.root))
    assert text.exit_code == 0, text.output
    rows = text.stdout.splitlines()
    assert rows[0].split() == ["ADDRESS", "KIND", "REMOTE", "ID", "RECORDED", "STATUS"]
    assert rows[-1].startswith("Statuses are as recorded at serial ") and "`livesnap drift` asks the vendors" in rows[-1]
    recorded = applied.state()["resources"]
    for address in ALL:
        (row,) = [r for r in rows if r.startswith(address + " ")]
        assert recorded[address]["kind"] in row.split() and recorded[address]["remote_id"] in row.split()
    assert "paused" in next(r for r in rows if r.startswith("job.stage.keynote"))
    assert "protected" in next(r for r in rows if r.startswith("job.stage.keynote"))

    doc = json.loads(applied.run("state", "list", "-m", str(applied.root), "--format", "json").stdout)
    assert [r["address"] for r in doc["resources"]] == sorted(ALL)
    assert doc["serial"] == applied.state()["serial"]


def test_list_without_state(ws):
    result = ws.run("state", "list", str(ws.root))
    assert result.exit_code == 0
    assert "No objects in state" in result.stdout


def test_show_prints_the_entry_as_json(applied):
    result = applied.run("state", "show", TASKS[0], str(applied.root))
    assert result.exit_code == 0, result.output
    entry = json.loads(result.stdout)
    recorded = applied.state()["resources"][TASKS[0]]
    readable = entry.pop("utc")
    assert entry == {"address": TASKS[0], **recorded}
    assert readable["attributes.scheduled_start"] == "2026-11-25T11:00:00Z" == TASKS[0].split("[")[1][:-2] + ":00Z"
    assert set(readable) == {"created_at", "attributes.start", "attributes.end", "attributes.scheduled_start"}

    missing = applied.run("state", "show", "task.lobby.news", str(applied.root))
    assert missing.exit_code == 1
    assert "not in state" in missing.stderr and TASKS[0] in missing.stderr


def test_rm_refuses_without_terminal_or_yes(applied):
    before = applied.state_path.read_bytes()
    result = applied.run("state", "rm", TASKS[0], "-m", str(applied.root))
    assert result.exit_code == 1
    assert "--yes" in result.stderr
    assert applied.state_path.read_bytes() == before


def test_rm_unknown_address_removes_nothing(applied):
    before = applied.state_path.read_bytes()
    result = applied.run("state", "rm", TASKS[0], "task.nowhere", "--yes", "-m", str(applied.root))
    assert result.exit_code == 1
    assert "task.nowhere" in result.stderr
    assert applied.state_path.read_bytes() == before


def test_rm_then_plan_adopts_instead_of_duplicating(applied, vendor_calls):
    serial = applied.state()["serial"]
    ids = {a: e["remote_id"] for a, e in applied.state()["resources"].items()}
    result = applied.run("state", "rm", "task.lobby", "job.stage.keynote", "--yes", "-m", str(applied.root))
    assert result.exit_code == 0, result.output
    assert vendor_calls == []  # rm never calls a vendor
    state = applied.state()
    assert state["serial"] == serial + 1
    assert sorted(state["resources"]) == ["template.every-10s", "template.thumbs"]

    plan = applied.run("plan", str(applied.root), "--summary")
    adopted = sorted(line.split()[-1] for line in plan.stdout.splitlines() if line.split()[:2] == ["<=", "adopt"])
    assert adopted == sorted(["job.stage.keynote", *TASKS]), plan.output
    assert " create " not in plan.stdout

    apply = applied.run("apply", str(applied.root), "--auto-approve")
    assert apply.exit_code == 0, apply.output
    assert {a: e["remote_id"] for a, e in applied.state()["resources"].items()} == ids
    assert len(applied.live_tasks()) == 2 and len(applied.emulator.alibaba_jobs()) == 1
    # The guard came back from the manifest with the adoption.
    assert applied.state()["resources"]["job.stage.keynote"]["protect"] is True


def test_force_unlock_removes_a_held_lock(applied):
    holder = LocalBackend(applied.state_path)
    info = holder.lock(operation="apply", timeout=0)
    try:
        blocked = applied.run("--lock-timeout", "0s", "plan", str(applied.root))
        assert blocked.exit_code == 1
        assert info.id in blocked.stderr

        wrong = applied.run("force-unlock", "not-the-id", str(applied.root))
        assert wrong.exit_code == 1
        assert "does not match" in wrong.stderr

        alive = applied.run("force-unlock", info.id, str(applied.root))  # this test process holds it
        assert alive.exit_code == 1 and "still running on this host" in alive.stderr and "--force" in alive.stderr
        assert LocalBackend(applied.state_path).current_lock() == info

        result = applied.run("force-unlock", info.id, str(applied.root), "--force")
        assert result.exit_code == 0, result.output
        assert info.id in result.stdout
        again = applied.run("--lock-timeout", "0s", "plan", str(applied.root))
        assert again.exit_code == 0, again.output
    finally:
        try:
            holder.unlock(info)
        except Exception:  # noqa: BLE001 - the lock was forced away; releasing is best effort
            pass


def test_the_suggested_force_unlock_works_when_pasted(applied, monkeypatch):
    import shlex

    holder = LocalBackend(applied.state_path)
    info = holder.lock(operation="apply", timeout=0)
    try:
        monkeypatch.chdir(applied.root.parent)  # the user's working directory, not the manifests'
        blocked = applied.run("--lock-timeout", "0s", "plan", applied.root.name)
        suggested = blocked.stderr.split("run `livesnap ", 1)[1].split("`", 1)[0]
        pasted = applied.run(*shlex.split(suggested), "--force")
        assert pasted.exit_code == 0, pasted.output + pasted.stderr
        assert LocalBackend(applied.state_path).current_lock() is None
    finally:
        try:
            holder.unlock(info)
        except Exception:  # noqa: BLE001 - the lock was forced away; releasing is best effort
            pass


def test_set_endpoint_moves_a_sandbox_provider_and_refuses_real_clouds(applied):
    recorded = applied.state()["providers"]["css"]["endpoint"]
    moved = applied.run("state", "set-endpoint", "css", "http://127.0.0.1:18080/", "-m", str(applied.root))
    assert moved.exit_code == 0, moved.output + moved.stderr
    assert applied.state()["providers"]["css"]["endpoint"] == "http://127.0.0.1:18080"
    refused = applied.run("state", "set-endpoint", "css", "https://live.tencentcloudapi.com", "-m", str(applied.root))
    assert refused.exit_code == 1 and "only a sandbox (loopback) endpoint can move" in refused.stderr
    unknown = applied.run("state", "set-endpoint", "cdn", "http://127.0.0.1:1", "-m", str(applied.root))
    assert unknown.exit_code == 1 and "provider cdn is not recorded in state (recorded: css, ice)" in unknown.stderr
    back = applied.run("state", "set-endpoint", "css", recorded, "-m", str(applied.root))
    assert back.exit_code == 0 and applied.run("plan", str(applied.root), "--detailed-exitcode").exit_code == 0


def test_plan_on_a_read_only_state_directory_works_without_the_lock(applied, monkeypatch):
    import errno

    from livesnap_reconcile.state import lockfile

    real_open = lockfile.os.open

    def read_only_open(path, flags, *args):
        if str(path).endswith(".lock") and flags & lockfile.os.O_CREAT:
            raise PermissionError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(lockfile.os, "open", read_only_open)
    planned = applied.run("plan", str(applied.root), "--detailed-exitcode")
    assert planned.exit_code == 0, planned.output + planned.stderr
    assert "Note: no state lock was taken" in planned.stderr and "Read-only file system" in planned.stderr
    refused = applied.run("apply", "--auto-approve", str(applied.root))
    assert refused.exit_code == 1 and "cannot lock" in refused.stderr  # writers still need the lock
