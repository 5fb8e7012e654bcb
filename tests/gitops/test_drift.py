"""`livesnap drift`: exit codes 0/2/1, the three formats, and that it is truly read-only.

What we test here: drift after a task is deleted behind livesnap's back (exit 2) and after the
repair (exit 0); a job started outside; the state file is byte-identical afterwards; no lock is
taken and only read actions reach the vendors; an invalid manifest is an error (exit 1).
"""

from __future__ import annotations

import json

from livesnap_reconcile.state import LocalBackend
from tests.gitops.conftest import READ_ACTIONS, TASKS


def test_in_sync_after_apply_exits_0(applied):
    result = applied.run("drift", str(applied.root))
    assert result.exit_code == 0, result.output
    assert "No drift" in result.output


def test_deleted_task_is_drift_until_apply_repairs_it(applied):
    deleted = applied.state()["resources"][TASKS[0]]["remote_id"]
    applied.emulator.tencent_delete_task(deleted)

    result = applied.run("drift", str(applied.root))
    assert result.exit_code == 2, result.output
    assert TASKS[0] in result.output and "deleted" in result.output
    assert TASKS[1] not in result.output

    repair = applied.run("apply", str(applied.root), "--auto-approve")
    assert repair.exit_code == 0, repair.output
    assert applied.state()["resources"][TASKS[0]]["remote_id"] != deleted
    after = applied.run("drift", str(applied.root))
    assert after.exit_code == 0, after.output


def test_json_and_markdown_reports(applied):
    job_id = applied.state()["resources"]["job.stage.keynote"]["remote_id"]
    applied.emulator.alibaba_set_job_status(job_id, "started")

    as_json = applied.run("drift", str(applied.root), "--format", "json")
    assert as_json.exit_code == 2, as_json.output
    doc = json.loads(as_json.stdout)
    assert doc["in_sync"] is False
    assert doc["counts"] == {"started": 1}
    assert [d["address"] for d in doc["drift"]] == ["job.stage.keynote"]

    as_md = applied.run("drift", str(applied.root), "--format", "markdown")
    assert as_md.exit_code == 2
    assert as_md.stdout.startswith("## livesnap drift")
    assert "`job.stage.keynote`" in as_md.stdout


def test_drift_leaves_state_byte_identical_takes_no_lock_and_only_reads(applied, monkeypatch, vendor_calls):
    applied.emulator.tencent_delete_task(applied.state()["resources"][TASKS[1]]["remote_id"])
    before = applied.state_path.read_bytes()
    files_before = sorted(p.name for p in applied.state_path.parent.iterdir())

    def no_lock(self, **kw):
        raise AssertionError("drift must not take the state lock")

    monkeypatch.setattr(LocalBackend, "lock", no_lock)
    monkeypatch.setattr(LocalBackend, "write", lambda self, state: (_ for _ in ()).throw(AssertionError("write")))
    result = applied.run("drift", str(applied.root))

    assert result.exit_code == 2, result.output
    assert applied.state_path.read_bytes() == before
    assert sorted(p.name for p in applied.state_path.parent.iterdir()) == files_before
    assert vendor_calls, "drift must ask the vendors"
    writes = [a for _, a in vendor_calls if not a.startswith(READ_ACTIONS)]
    assert writes == []


def test_invalid_manifest_is_an_error_not_drift(applied):
    applied.edit("interval: 10, sequence_format", "interval: 1, sequence_format")
    result = applied.run("drift", str(applied.root))
    assert result.exit_code == 1
    assert "live.yaml" in result.output


def test_drift_without_state_reports_in_sync(ws):
    result = ws.run("drift", str(ws.root))
    assert result.exit_code == 0, result.output
    assert not ws.state_path.exists()


def test_unexpected_template_carrying_our_namespace_is_drift(applied):
    old = applied.state()["resources"]["template.thumbs"]["remote_id"]
    assert applied.run("state", "rm", "template.thumbs", "--yes", "-m", str(applied.root)).exit_code == 0
    applied.edit("  thumbs:\n", "  thumbs-v2:\n")
    applied.edit("template: thumbs\n", "template: thumbs-v2\n")

    result = applied.run("drift", str(applied.root), "--format", "json")
    assert result.exit_code == 2, result.output
    doc = json.loads(result.stdout)
    assert [(d["what"], d["remote_id"]) for d in doc["drift"]] == [("unexpected", old)]
    text = applied.run("drift", str(applied.root))
    assert 'namespace "gitops"' in text.stdout
