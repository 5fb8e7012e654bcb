"""`livesnap import ADDR REMOTE_ID`: take an existing remote object under management.

What we test here: importing a job and a task that match the manifest (one state write, serial
+1, protect and scheduled_start recorded, the next plan is empty for them); differences are
shown and the next plan repairs them; refusals: address not desired, already managed, id
already claimed, object missing. Import reads from the vendor and never writes to it.
"""

from __future__ import annotations

from tests.gitops.conftest import READ_ACTIONS, TASKS


def _forget(ws, *addresses):
    result = ws.run("state", "rm", *addresses, "--yes", "-m", str(ws.root))
    assert result.exit_code == 0, result.output


def test_import_matching_job_and_task(applied, vendor_calls):
    before = applied.state()["resources"]
    _forget(applied, "job.stage.keynote", TASKS[0])
    serial = applied.state()["serial"]
    vendor_calls.clear()

    job = applied.run("import", "job.stage.keynote", before["job.stage.keynote"]["remote_id"], str(applied.root))
    assert job.exit_code == 0, job.output
    assert "matches the manifest" in job.stdout
    task = applied.run("import", TASKS[0], before[TASKS[0]]["remote_id"], "-m", str(applied.root))
    assert task.exit_code == 0, task.output

    state = applied.state()
    assert state["serial"] == serial + 2
    assert state["resources"]["job.stage.keynote"]["protect"] is True
    assert state["resources"][TASKS[0]]["attributes"]["scheduled_start"] == \
        before[TASKS[0]]["attributes"]["scheduled_start"]
    assert [a for _, a in vendor_calls if not a.startswith(READ_ACTIONS)] == []
    plan = applied.run("plan", str(applied.root), "--detailed-exitcode")
    assert plan.exit_code == 0, plan.output


def test_import_shows_differences_and_next_plan_repairs_them(applied):
    template_id = applied.state()["resources"]["template.every-10s"]["remote_id"]
    applied.emulator.alibaba_update_template(template_id, TimeInterval=30)
    _forget(applied, "template.every-10s")

    result = applied.run("import", "template.every-10s", template_id, str(applied.root))
    assert result.exit_code == 0, result.output
    assert "interval: 30 -> 10" in result.stdout

    plan = applied.run("plan", str(applied.root), "--summary")
    assert [line.split() for line in plan.stdout.splitlines() if "template.every-10s" in line] == [
        ["~", "update", "template.every-10s"]]
    applied.run("apply", str(applied.root), "--auto-approve")
    assert {t["TemplateId"]: t["TimeInterval"] for t in applied.emulator.alibaba_templates()}[template_id] == 10


def test_import_refusals(applied):
    state = applied.state()["resources"]
    job_id = state["job.stage.keynote"]["remote_id"]
    before = applied.state_path.read_bytes()

    cases = [
        (("job.stage.nowhere", job_id), "not desired"),
        (("job.stage.keynote", job_id), "already managed"),
    ]
    for args, message in cases:
        result = applied.run("import", *args, str(applied.root))
        assert result.exit_code == 1, args
        assert message in result.stderr, (args, result.stderr)
    assert applied.state_path.read_bytes() == before

    _forget(applied, "job.stage.keynote", TASKS[0])
    claimed = applied.run("import", TASKS[0], state[TASKS[1]]["remote_id"], str(applied.root))
    assert claimed.exit_code == 1
    assert f"already managed as {TASKS[1]}" in claimed.stderr
    missing = applied.run("import", "job.stage.keynote", "0" * 32, str(applied.root))
    assert missing.exit_code == 1
    assert "does not exist" in missing.stderr or "not found" in missing.stderr.lower()
    assert "job.stage.keynote" not in applied.state()["resources"]
