"""The rest of the "found object taken by the wrong owner" family, counted on the emulator.

What we test here: two namespaces on one account (two manifests and state files against one
sandbox) never adopt, report or retire each other's objects; a task stopped outside and recreated
in one run, with its create answer lost, records its own new task and not its twin's; and an
apply SIGKILLed halfway through twin snapshots is completed by the next apply with every object
recorded once (real processes, as a user's interrupted CI job would leave it).
"""

from __future__ import annotations

import json
import re

import pytest

from livesnap_reconcile.emulator import FaultRule, Faults
from tests.e2e import procs
from tests.e2e.lost_answers import NOW, DroppingSandbox, counts, livesnap, paused_jobs, twin_manifest

CLEAN = {"orphan_tasks": 0, "shared_ids": 0, "orphan_jobs": 0, "wrong_status_jobs": 0, "duplicate_jobs": 0}


def _faults_of(c) -> dict[str, int]:
    return {k: getattr(c, k) for k in CLEAN}


def _resources(state) -> dict[str, dict]:
    return json.loads(state.read_text())["resources"]


def test_two_namespaces_on_one_account_neither_adopt_nor_retire_each_others_objects(tmp_path):
    with DroppingSandbox() as box:
        homes = {ns: tmp_path / ns for ns in ("one", "two")}
        for (ns, home), prefix in zip(homes.items(), ("cam", "hall"), strict=True):
            home.mkdir()  # Tencent runs 3 tasks per stream: the two share the ICE streams only
            (home / "live.yaml").write_text(twin_manifest(box.url, namespace=ns, streams=2, jobs=2,
                                                          stream_prefix=prefix))
        states = {ns: home / "state.json" for ns, home in homes.items()}

        def run(ns: str, *args: str):
            return livesnap(homes[ns], "--state", str(states[ns]), *args, str(homes[ns] / "live.yaml"))

        for ns in homes:
            assert run(ns, "apply", "--auto-approve").exit_code == 0
        both = [states["one"], states["two"]]
        desired = paused_jobs(2)
        assert _faults_of(counts(box.emulator, both, desired)) == CLEAN
        assert counts(box.emulator, both).live_tasks == 8
        ids_one = {e["remote_id"] for e in _resources(states["one"]).values()}
        assert ids_one.isdisjoint(e["remote_id"] for e in _resources(states["two"]).values())
        for ns in homes:
            drift = run(ns, "drift")
            assert drift.exit_code == 0, drift.output  # the other namespace's objects are not "unexpected"

        states["two"].unlink()  # namespace two loses its state: it re-adopts its own objects only
        again = run("two", "apply", "--auto-approve")
        assert again.exit_code == 0, again.output
        assert "created" not in again.output
        assert ids_one.isdisjoint(e["remote_id"] for e in _resources(states["two"]).values())
        assert _faults_of(counts(box.emulator, both, desired)) == CLEAN

        kept = _resources(states["two"])
        manifest_one = homes["one"] / "live.yaml"
        manifest_one.write_text(re.sub(r"(?ms)^streams:\n.*", "streams: {}\n", manifest_one.read_text()))
        assert run("one", "apply", "--auto-approve").exit_code == 0  # one retires all of its own
        live_tasks = {t["TaskId"] for t in box.emulator.tencent_tasks() if not t["Stopped"]}
        started_jobs = {j["JobId"] for j in box.emulator.alibaba_jobs()}
        for address, entry in kept.items():
            if entry["kind"] == "task":
                assert entry["remote_id"] in live_tasks, address
            if entry["kind"] == "job":
                assert entry["remote_id"] in started_jobs, address
        assert run("two", "plan", "--detailed-exitcode").exit_code == 0


def test_a_stopped_task_recreated_with_its_answer_lost_records_its_own_new_task(tmp_path):
    rules = {"tencent:CreateScreenshotTask": FaultRule(drop_rate=1.0)}
    with DroppingSandbox() as box:
        manifest = tmp_path / "live.yaml"
        manifest.write_text(twin_manifest(box.url, streams=1, jobs=0))
        state = tmp_path / "state.json"
        assert livesnap(tmp_path, "--state", str(state), "apply", "--auto-approve", str(manifest)).exit_code == 0
        before = _resources(state)
        stopped = next(a for a in before if a.startswith("task.cam0.a"))
        box.emulator.tencent_stop_task(before[stopped]["remote_id"])
        box.emulator.faults = Faults(rps=0, rules=rules)
        result = livesnap(tmp_path, "--state", str(state), "apply", "--auto-approve", str(manifest))
        assert result.exit_code == 0, result.output
        assert "replaced, created (found after a lost response)" in result.output
        after = _resources(state)
        twin = next(a for a in before if a.startswith("task.cam0.b"))
        assert after[twin]["remote_id"] == before[twin]["remote_id"]
        assert after[stopped]["remote_id"] not in (before[stopped]["remote_id"], before[twin]["remote_id"])
        assert _faults_of(counts(box.emulator, [state])) == CLEAN
        assert counts(box.emulator, [state]).live_tasks == 2


@pytest.mark.parametrize("kill_after", [2, 6])
def test_an_apply_killed_halfway_through_twin_snapshots_is_completed_without_duplicates(
        tmp_path, monkeypatch, kill_after):
    monkeypatch.setenv("LIVESNAP_NOW", NOW.isoformat())  # the sandbox process and the applies alike
    server = procs.SandboxProcess(tmp_path, data=tmp_path / "srv", seed=3, latency_ms=80)
    try:
        manifest = tmp_path / "live.yaml"
        manifest.write_text(twin_manifest(server.url, streams=4, jobs=4))
        state = tmp_path / "state.json"
        live = procs.LiveApply(tmp_path, manifest, state, "--parallelism", "4")
        live.wait_for_progress(kill_after)
        assert live.kill() != 0
        result = procs.apply(tmp_path, manifest, state, "--parallelism", "4")
        assert result.code == 0, result.out[-2000:] + result.err
        found = counts(server.emulator(), [state], paused_jobs(4))
        assert _faults_of(found) == CLEAN
        assert found.live_tasks == 8 and found.live_jobs == 0
        assert procs.plan_exit(tmp_path, manifest, state).code == 0
    finally:
        server.stop()
