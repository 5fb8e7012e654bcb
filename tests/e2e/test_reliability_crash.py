"""Crash safety with real processes: `livesnap apply` SIGKILLed mid-run against `livesnap sandbox
serve`, then applied again, must leave exactly the desired remote objects, all recorded, none twice.

The sandbox adds latency so several creates are in flight when the kill lands; the server finishes
them after the client is gone, which is the "committed but never recorded" case apply must adopt.
"""

from __future__ import annotations

import json
import signal

import pytest

from tests.e2e import procs


@pytest.fixture
def sandbox(tmp_path, request):
    latency = getattr(request, "param", 80.0)  # enough for several creates to be in flight at a kill
    server = procs.SandboxProcess(tmp_path, data=tmp_path / "srv", seed=7, latency_ms=latency)
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize("kill_after", [1, 5, 12])
def test_apply_killed_mid_run_then_reapplied_converges_without_duplicates(tmp_path, sandbox, kill_after):
    manifest = procs.write_manifest(tmp_path / "livesnap.yaml", sandbox.url)
    state = tmp_path / "state.json"
    desired = procs.desired_addresses(manifest)

    first = procs.LiveApply(tmp_path, manifest, state, "--parallelism", "3")
    try:
        progress = first.wait_for_progress(kill_after)
    finally:
        assert first.kill() == -9
    total = int(procs.PROGRESS.search(progress[-1]).group(2))
    assert total == len(desired)
    recorded = json.loads(state.read_text())["resources"]  # the kill never leaves a torn state file
    assert kill_after <= len(recorded) < total

    second = procs.apply(tmp_path, manifest, state, "--parallelism", "3")
    assert second.code == 0, second.out[-2000:] + second.err[-2000:]
    assert "Traceback" not in second.err

    again = procs.plan_exit(tmp_path, manifest, state)
    assert again.code == 0, again.out[-3000:] + again.err[-1000:]
    assert "No changes" in again.out
    procs.check_converged(sandbox.emulator(), state, desired)


@pytest.mark.parametrize("sandbox", [0.0], indirect=True)
def test_job_replace_interrupted_after_its_create_adopts_the_successor(tmp_path, sandbox):
    """ICE cannot delete: a replace stops the old job, then creates the new one. A run that dies
    before recording the new job leaves state naming the stopped one; restoring the backup the
    replace's own commit rotated reproduces exactly that moment, without racing a kill."""
    manifest = procs.write_manifest(tmp_path / "livesnap.yaml", sandbox.url)
    state = tmp_path / "state.json"
    assert procs.apply(tmp_path, manifest, state, "--parallelism", "4").code == 0
    manifest.write_text(manifest.read_text().replace("archive: {template: ice-10s}",
                                                     "archive: {template: ice-latest}"))
    address = "job.cam-c.archive"
    replaced = procs.apply(tmp_path, manifest, state, "--target", address)
    assert replaced.code == 0 and "replaced, created" in replaced.out, replaced.out[-1500:]
    before_replace = json.loads((tmp_path / "state.json.backup").read_text())
    successor = procs.read_state(state)["resources"][address]["remote_id"]
    assert before_replace["resources"][address]["remote_id"] != successor
    state.write_text(json.dumps(before_replace))  # the replace's create happened; its record did not

    again = procs.apply(tmp_path, manifest, state, "--parallelism", "4")
    assert again.code == 0, again.out[-2000:] + again.err
    assert f"{address}: adopted id={successor}" in again.out
    assert procs.plan_exit(tmp_path, manifest, state).code == 0
    procs.check_converged(sandbox.emulator(), state, procs.desired_addresses(manifest))


def test_ctrl_c_finishes_changes_in_flight_records_them_and_reports_interrupted(tmp_path, sandbox):
    manifest = procs.write_manifest(tmp_path / "livesnap.yaml", sandbox.url)
    state = tmp_path / "state.json"
    desired = procs.desired_addresses(manifest)

    first = procs.LiveApply(tmp_path, manifest, state, "--parallelism", "3")
    first.wait_for_progress(2)
    first.proc.send_signal(signal.SIGINT)
    result = first.finish()
    assert result.code == 1
    assert "Apply interrupted." in result.out and "skipped: interrupted" in result.out
    assert "finishing the changes in flight" in result.err and "Traceback" not in result.err
    finished = [line for line in result.out.splitlines() if procs.PROGRESS.search(line) and ": skipped" not in line]
    recorded = json.loads(state.read_text())["resources"]
    assert 2 <= len(recorded) < len(desired)
    assert len(recorded) == len(finished)  # every change reported as done is in state, and only those

    assert procs.apply(tmp_path, manifest, state, "--parallelism", "3").code == 0
    procs.check_converged(sandbox.emulator(), state, desired)
