"""`livesnap reconcile`: the loop, its log lines, its wake-ups, retries and clean shutdown.

What we test here: in-process, with the module's `sleep` replaced by one that advances the
emulator's business clock, the loop wakes at the plan's `next_change_at` and opens then closes
the Alibaba window; a failed cycle logs one line and the next cycle recovers; a bounded run whose
last cycle failed exits 1; SIGTERM during the sleep, or during an apply (after the change in
flight), stops the loop with exit 0. In a real subprocess with a 1 s tick, the window follows
the clock as a test moves it, and SIGTERM ends the process with exit 0.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from livesnap_reconcile.cli import reconcile as loop
from livesnap_reconcile.emulator import Emulator
from tests.gitops.conftest import WINDOW_END, WINDOW_START


@pytest.fixture
def fake_sleep(ws, monkeypatch):
    """Replace the loop's sleep: record (seconds, job status) and move business time on."""
    slept: list[tuple[float, str]] = []

    def sleep(stop, seconds):
        jobs = ws.emulator.alibaba_jobs()
        slept.append((seconds, jobs[0]["Status"] if jobs else "-"))
        ws.emulator.clock.advance(seconds)

    monkeypatch.setattr(loop, "sleep", sleep)
    return slept


def test_next_delay_is_the_earlier_of_every_and_next_change():
    assert loop.next_delay(every=300, now=1000, next_change_at=None) == (300, "every")
    assert loop.next_delay(every=300, now=1000, next_change_at=1100) == (100, "next_change_at")
    assert loop.next_delay(every=300, now=1000, next_change_at=5000) == (300, "every")
    assert loop.next_delay(every=300, now=1000, next_change_at=990) == (loop.MIN_SLEEP, "next_change_at")
    assert loop.next_delay(every=0.2, now=1000, next_change_at=None) == (loop.MIN_SLEEP, "every")


def test_loop_opens_and_closes_the_window_on_time(ws, fake_sleep):
    result = ws.run("reconcile", str(ws.root), "--every", "2h", "--max-cycles", "4")
    assert result.exit_code == 0, result.output

    assert fake_sleep == [(3600, "paused"), (3600, "started"), (7200, "paused")]
    lines = result.stdout.splitlines()
    assert lines == [
        "cycle 1: 5 changes applied (job.stage.keynote, task.lobby.news[2026-11-25T11:00Z], "
        "task.lobby.news[2026-11-26T11:00Z], +2 more), 0 failed; next run at 2026-11-25T01:00:00Z (next_change_at)",
        "cycle 2: 1 change applied (job.stage.keynote), 0 failed; next run at 2026-11-25T02:00:00Z (next_change_at)",
        "cycle 3: 1 change applied (job.stage.keynote), 0 failed; next run at 2026-11-25T04:00:00Z (every)",
        "cycle 4: 0 changes applied, 0 failed; stopping",
    ]
    assert ws.job()["Status"] == "paused"
    assert ws.emulator.clock.now() == WINDOW_END + 7200


def test_failed_cycle_is_logged_and_retried(ws, fake_sleep, monkeypatch):
    ws.edit("interval: 10, sequence_format", "interval: 1, sequence_format")
    original = loop.sleep

    def sleep_and_fix(stop, seconds):
        original(stop, seconds)
        ws.edit("interval: 1, sequence_format", "interval: 10, sequence_format")

    monkeypatch.setattr(loop, "sleep", sleep_and_fix)
    result = ws.run("reconcile", str(ws.root), "--every", "5m", "--max-cycles", "2")

    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("cycle 1: failed: ") and "next run at" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert result.stdout.startswith("cycle 2: 5 changes applied (") and ", 0 failed" in result.stdout
    assert "(retrying after a failure)" in result.stderr  # sooner than --every, backing off


def test_bounded_run_reports_a_failed_last_cycle(ws, fake_sleep):
    ws.edit("interval: 10, sequence_format", "interval: 1, sequence_format")
    result = ws.run("reconcile", str(ws.root), "--every", "5m", "--max-cycles", "2")
    assert result.exit_code == 1
    assert [line.split(":")[0] for line in result.stderr.splitlines()] == ["cycle 1", "cycle 2"]


def test_sigterm_while_sleeping_stops_with_exit_0(ws, monkeypatch):
    calls = []

    def sleep(stop, seconds):
        calls.append(seconds)
        assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, None)
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop.wait(5)

    monkeypatch.setattr(loop, "sleep", sleep)
    previous = signal.getsignal(signal.SIGTERM)
    result = ws.run("reconcile", str(ws.root), "--every", "5m")
    assert result.exit_code == 0, result.output
    assert len(calls) == 1
    assert signal.getsignal(signal.SIGTERM) == previous  # handlers are restored


def test_sigterm_during_apply_stops_after_the_change_in_flight(ws, monkeypatch):
    original = Emulator.handle
    sent = []

    def handle(self, request):
        response = original(self, request)
        if request.headers.get("x-tc-action") == "CreateScreenshotTask" and not sent:
            sent.append(True)
            os.kill(os.getpid(), signal.SIGTERM)
        return response

    monkeypatch.setattr(Emulator, "handle", handle)
    monkeypatch.setattr(loop, "sleep", lambda stop, seconds: pytest.fail("must not sleep after SIGTERM"))
    result = ws.run("reconcile", str(ws.root), "--every", "5m", "--parallelism", "1")

    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    assert line.startswith("cycle 1: ") and "skipped; interrupted, stopping" in line
    recorded = ws.state()["resources"]
    tasks = ws.live_tasks()
    assert len(tasks) == 1  # the change in flight finished and was recorded; nothing else started
    assert [e["remote_id"] for a, e in recorded.items() if a.startswith("task.")] == [tasks[0]["TaskId"]]


def _wait_for(predicate, what: str, proc, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc.poll() is not None:
            raise AssertionError(f"reconcile exited early waiting for {what}: {proc.communicate()}")
        time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"timed out waiting for {what}: {proc.communicate()}")


def test_subprocess_follows_the_clock_and_exits_0_on_sigterm(ws):
    ws.emulator.clock.set(WINDOW_START - 600)
    cmd = [sys.executable, "-m", "livesnap_reconcile", "--sandbox", "reconcile", str(ws.root), "--every", "1s"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALIBABA_CLOUD_", "TENCENTCLOUD_"))}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ws.root)
    try:
        def status():
            jobs = ws.emulator.alibaba_jobs()
            return jobs[0]["Status"] if jobs else None

        _wait_for(lambda: status() == "paused" and len(ws.live_tasks()) == 2, "the first cycle", proc)
        ws.emulator.clock.set(WINDOW_START + 30)
        _wait_for(lambda: status() == "started", "the window to open", proc)
        ws.emulator.clock.set(WINDOW_END + 30)
        _wait_for(lambda: status() == "paused", "the window to close", proc)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert out.startswith("cycle 1: ")
    assert "Traceback" not in err
    assert ws.emulator.clock.now() == WINDOW_END + 30


def test_bad_every_is_a_usage_error(ws):
    result = ws.run("reconcile", str(ws.root), "--every", "5x")
    assert result.exit_code == 1
    assert "--every" in result.output and "duration" in result.output
    assert not ws.state_path.exists()


def test_log_line_names_the_first_failures():
    cycle = loop.Cycle(applied=2, failed=4, failures=("a", "b", "c", "d"), now=0)
    line = loop.log_line(7, cycle, next_at=60, why="every")
    assert line == "cycle 7: 2 changes applied, 4 failed (a, b, c, +1 more); next run at 1970-01-01T00:01:00Z (every)"


def test_the_real_sleep_lasts_its_time_unless_stopped():
    stop = threading.Event()
    started = time.monotonic()
    loop.sleep(stop, 0.3)
    assert time.monotonic() - started >= 0.3

    def stop_soon():
        time.sleep(0.2)
        stop.set()

    threading.Thread(target=stop_soon).start()
    started = time.monotonic()
    loop.sleep(stop, 600)
    assert stop.is_set() and time.monotonic() - started < 300  # woke on the stop, not the deadline


def test_reconcile_cycles_reuse_an_assumed_role_session(tmp_path, monkeypatch):
    """A role session lasts an hour: later cycles sign with it instead of asking STS again."""
    from click.testing import CliRunner

    from livesnap_reconcile.cli.main import cli
    from livesnap_reconcile.emulator import SANDBOX_KEYS, serve
    from livesnap_reconcile.emulator.identity import ROLES
    from tests.providers.test_no_secret_leaks import MANIFEST

    emulator = Emulator()
    server = serve(emulator)
    try:
        for name in list(os.environ):
            if name.startswith(("ALIBABA_CLOUD_", "TENCENTCLOUD_", "TKE_")):
                monkeypatch.delenv(name)
        monkeypatch.setenv("HOME", str(tmp_path))
        for name, value in {"ALIBABA_CLOUD_ACCESS_KEY_ID": SANDBOX_KEYS["alibaba"][0],
                            "ALIBABA_CLOUD_ACCESS_KEY_SECRET": SANDBOX_KEYS["alibaba"][1],
                            "ALIBABA_CLOUD_ROLE_ARN": ROLES["alibaba"][0],
                            "TENCENTCLOUD_SECRET_ID": SANDBOX_KEYS["tencent"][0],
                            "TENCENTCLOUD_SECRET_KEY": SANDBOX_KEYS["tencent"][1]}.items():
            monkeypatch.setenv(name, value)
        (tmp_path / "live.yaml").write_text(MANIFEST.format(url=server.url))
        result = CliRunner().invoke(cli, ["reconcile", str(tmp_path), "--every", "1s", "--max-cycles", "3"])
    finally:
        server.shutdown()
    assert result.exit_code == 0, result.output
    assert result.output.count("cycle ") == 3
    assert [k.vendor for k in emulator.identity.issued] == ["alibaba"]


def test_an_unexpected_error_fails_the_cycle_not_the_loop(ws, fake_sleep, monkeypatch):
    from livesnap_reconcile.ops import workflow

    calls = []
    real = workflow.compute_plan

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) <= 2:
            raise KeyError("something nobody expected")
        return real(*args, **kwargs)

    monkeypatch.setattr(workflow, "compute_plan", flaky)
    result = ws.run("reconcile", str(ws.root), "--every", "5m", "--max-cycles", "3")
    assert result.exit_code == 0, result.output
    failed = result.stderr.splitlines()
    assert [line.split(":")[0] for line in failed] == ["cycle 1", "cycle 2"]
    assert "failed: internal error: KeyError" in failed[0] and "Traceback" not in result.stderr
    assert [seconds for seconds, _ in fake_sleep] == [10, 20]  # backing off: 10 s, then 20 s
    assert result.stdout.startswith("cycle 3: 5 changes applied (")


def test_backoff_doubles_up_to_every():
    delays = [loop.next_delay(every=300, now=0, next_change_at=None, failures_in_a_row=n)[0] for n in range(1, 8)]
    assert delays == [10, 20, 40, 80, 160, 300, 300]

