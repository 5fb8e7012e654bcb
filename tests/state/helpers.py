"""Shared test helpers: a fake clock and a lock-holding child process driven over stdin/stdout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from livesnap_reconcile.state import State, StateEntry

HOLDER = Path(__file__).with_name("holder_script.py")


class FakeClock:
    """``clock``/``sleep`` pair for LocalBackend: sleeping advances time and is recorded."""

    def __init__(self, start: float = 1_790_000_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


# A recorded object of each kind as the vendors report it; tests add or override attributes.
TYPICAL = {
    "template": {"name": "newsroom-every-10s", "interval": 10, "sequence_format": None},
    "job": {"name": "ls/newsroom/main/snap/0123abcd", "rtmp_url": "rtmp://push.example.com/live/main",
            "output": {"bucket": "snaps", "endpoint": "oss-cn-shanghai.aliyuncs.com"}, "template": {"id": "tpl-1"},
            "callback_url": None, "status": "started"},
    "task": {"domain": "5000.live.push.com", "app": "live", "stream": "lobby", "start": 1_790_000_000,
             "end": 1_790_003_600, "template": {"id": "10001"}, "scheduled_start": 1_790_000_000},
    "rule": {"domain": "5000.live.push.com", "app": "live", "stream": "lobby", "template": {"id": "10001"}},
}


def entry(address: str = "template.every-10s", **overrides) -> StateEntry:
    kind = overrides.get("kind", address.split(".")[0])
    fields = dict(
        address=address,
        kind=kind,
        provider="ice-sh",
        remote_id="tpl-1",
        created_at=1_790_000_000,
    )
    fields.update(overrides)
    fields["attributes"] = {**TYPICAL.get(kind, {}), **overrides.get("attributes", {})}
    return StateEntry(**fields)


def sample_state() -> State:
    return (
        State.new()
        .with_provider("ice-sh", "alibaba", "https://ice.cn-shanghai.aliyuncs.com")
        .with_entry(entry())
        .with_entry(entry("job.main-stage.always-on", remote_id="job-1", status="started", protect=True,
                          attributes={"name": "ls/newsroom/main-stage/always-on/0a1b2c3d",
                                      "output": {"bucket": "b", "endpoint": "e"}, "status": "started"}))
    )


class Holder:
    """A child process that takes the lock and keeps it until told to release (or killed)."""

    def __init__(self, state_path: Path | str, *, operation: str = "apply", timeout: float = 5.0) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(HOLDER), "hold", str(state_path), operation, str(timeout)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"holder failed: {self.proc.stderr.read()}")
        self.info = json.loads(line)

    def release(self) -> None:
        self.proc.stdin.write("release\n")
        self.proc.stdin.flush()
        assert self.proc.stdout.readline().strip() == "released"

    def finish(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.communicate(timeout=10)


def run_script(*args: str) -> dict:
    """Run a one-shot action of the holder script in a child process; returns its JSON answer."""
    out = subprocess.run([sys.executable, str(HOLDER), *args], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)
