"""One state, two processes: the state lock with real `livesnap apply` subprocesses, and a saved
plan that another apply made stale.
"""

from __future__ import annotations

import json
import time

import pytest

from livesnap_reconcile.state.local import default_who
from tests.e2e import procs


@pytest.fixture
def slow_sandbox(tmp_path):
    server = procs.SandboxProcess(tmp_path, data=tmp_path / "srv", seed=5, latency_ms=120)
    try:
        yield server
    finally:
        server.stop()


def test_second_apply_waits_for_the_lock_then_fails_naming_the_holder(tmp_path, slow_sandbox):
    manifest = procs.write_manifest(tmp_path / "livesnap.yaml", slow_sandbox.url)
    state = tmp_path / "state.json"
    first = procs.LiveApply(tmp_path, manifest, state, "--parallelism", "1")
    try:
        first.wait_for_progress(1)  # it holds the lock from planning on; now it is surely applying
        started = time.monotonic()
        second = procs.apply(tmp_path, manifest, state, "--lock-timeout", "1s")
        waited = time.monotonic() - started
        assert first.proc.poll() is None, "the first apply must still be running, or this proves nothing"
        json.loads(state.read_text())  # valid while being written to
        result = first.finish()
    finally:
        first.kill()
    assert second.code == 1
    assert waited >= 1.0  # it waited for the lock instead of failing at once
    message = second.err
    assert f"{default_who()} (pid {first.proc.pid}, apply" in message, message
    assert "force-unlock" in message and "Traceback" not in message
    assert "Plan:" not in second.out  # nothing was planned, let alone applied, without the lock

    assert result.code == 0, result.out[-2000:] + result.err
    assert "Apply complete!" in result.out
    listed = procs.run(tmp_path, "state", "list", "--state", str(state))
    assert listed.code == 0 and "job.cam-a.archive" in listed.out, listed.err  # the CLI still reads it
    procs.check_converged(slow_sandbox.emulator(), state, procs.desired_addresses(manifest))


def test_saved_plan_is_refused_after_another_apply_moved_the_state(tmp_path):
    server = procs.SandboxProcess(tmp_path, data=tmp_path / "srv", seed=9)
    try:
        manifest = procs.write_manifest(tmp_path / "livesnap.yaml", server.url)
        state = tmp_path / "state.json"
        assert procs.apply(tmp_path, manifest, state).code == 0
        emulator = server.emulator()
        victim = procs.read_state(state)["resources"]
        victim_address = next(a for a in sorted(victim) if a.startswith("task."))
        emulator.tencent_delete_task(victim[victim_address]["remote_id"])  # behind livesnap's back

        saved = procs.run(tmp_path, "plan", str(manifest), "--state", str(state), "-o", "plan.json")
        assert saved.code == 0 and victim_address in saved.out
        repaired = procs.apply(tmp_path, manifest, state)
        assert repaired.code == 0 and victim_address in repaired.out
        serial = procs.read_state(state)["serial"]
        tasks_before = {t["TaskId"] for t in emulator.tencent_tasks()}

        stale = procs.run(tmp_path, "apply", "plan.json", "--state", str(state))
        assert stale.code == 1
        assert "state changed since the plan was made" in stale.err, stale.err
        assert "Traceback" not in stale.err
        assert procs.read_state(state)["serial"] == serial
        assert {t["TaskId"] for t in emulator.tencent_tasks()} == tasks_before  # nothing was called
        procs.check_converged(emulator, state, procs.desired_addresses(manifest))
    finally:
        server.stop()
