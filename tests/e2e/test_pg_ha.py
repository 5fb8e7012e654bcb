"""High availability of the loop: two `livesnap reconcile --every 1s` processes on one PostgreSQL
state. Each cycle runs under the state lock, so at any moment one works and the other waits;
after one is SIGKILLed (its lock dies with its session) the survivor repairs an out-of-band
deletion within about one period, with no duplicate and nothing unrecorded.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

from tests.e2e import procs


def _wait_for(predicate, what: str, loops, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        for proc in loops:
            assert proc.poll() is None or proc.returncode == -9, f"a reconcile loop exited while waiting for {what}"
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _converged(server, url: str, desired: set[str]) -> bool:
    try:
        procs.check_converged(server.emulator(), url, desired)
    except AssertionError:
        return False
    return True


def test_the_survivor_takes_over_within_a_period_after_sigkill(tmp_path, pg_url):
    server = procs.SandboxProcess(tmp_path, data=tmp_path / "srv", seed=21, latency_ms=20)
    manifest = procs.write_manifest(tmp_path / "livesnap.yaml", server.url)
    desired = procs.desired_addresses(manifest)
    argv = [*procs.livesnap_argv(), "reconcile", str(manifest), "--state", pg_url, "--every", "1s",
            "--lock-timeout", "60s"]
    logs = [tmp_path / f"loop-{i}.log" for i in range(2)]
    loops = []
    try:
        for log in logs:
            with open(log, "wb") as out:
                loops.append(subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=procs.cli_env(tmp_path),
                                              cwd=tmp_path, stdin=subprocess.DEVNULL))
        _wait_for(lambda: _converged(server, pg_url, desired), "the first convergence", loops)
        _wait_for(lambda: all(log.read_text().count("cycle ") >= 2 for log in logs), "both loops cycling", loops)

        os.kill(loops[0].pid, signal.SIGKILL)
        assert loops[0].wait(10) == -9
        emulator = server.emulator()
        victim = next(e for a, e in sorted(procs.read_state(pg_url)["resources"].items()) if a.startswith("task."))
        emulator.tencent_delete_task(victim["remote_id"])  # behind livesnap's back
        deleted_at = time.monotonic()
        _wait_for(lambda: _converged(server, pg_url, desired), "the survivor's repair", loops[1:], timeout=30)
        took = time.monotonic() - deleted_at
        assert took < 15, f"the survivor took {took:.1f}s to repair"
        procs.check_converged(server.emulator(), pg_url, desired)

        os.kill(loops[1].pid, signal.SIGTERM)
        assert loops[1].wait(30) == 0
    finally:
        for proc in loops:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
        server.stop()
    survivor_log = logs[1].read_text()
    assert "Traceback" not in survivor_log and "failed:" not in survivor_log, survivor_log[-2000:]
