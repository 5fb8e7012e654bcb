"""Real-process helpers for the reliability tests: a `livesnap sandbox serve` subprocess, `livesnap`
commands run as subprocesses against it, and read-only checks of what the sandbox holds.

Owns: starting and stopping processes this test started (always by pid, never by name), the
environment they run in (sandbox keys in the vendors' variables, a private HOME, no proxies) and
the invariants "no duplicates, nothing unrecorded, state points at real objects". It must not
import the CLI in-process: the point is to exercise the installed entry point as a user would.
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from livesnap_reconcile.emulator import SANDBOX_KEYS, Emulator

NAMESPACE = "reltest"
TENCENT_STREAM = "hall"
PROGRESS = re.compile(r"\[(\d+)/(\d+)\]$")
_PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
_CREDENTIAL_PREFIXES = ("ALIBABA_CLOUD_", "TENCENTCLOUD_", "ALICLOUD_")


def livesnap_argv() -> list[str]:
    if (Path(__file__).resolve().parents[2] / "livesnap_reconcile" / "__main__.py").exists():
        return [sys.executable, "-m", "livesnap_reconcile"]
    return [str(Path(sys.executable).with_name("livesnap"))]


def cli_env(home: Path) -> dict[str, str]:
    """The parent's environment minus proxies and real credentials, plus the sandbox keys."""
    env = {k: v for k, v in os.environ.items()
           if k.lower() not in _PROXY_VARS and not k.startswith(_CREDENTIAL_PREFIXES)}
    (alibaba_id, alibaba_secret), (tencent_id, tencent_key) = SANDBOX_KEYS["alibaba"], SANDBOX_KEYS["tencent"]
    env.update(HOME=str(home), NO_COLOR="1", ALIBABA_CLOUD_ACCESS_KEY_ID=alibaba_id,
               ALIBABA_CLOUD_ACCESS_KEY_SECRET=alibaba_secret, TENCENTCLOUD_SECRET_ID=tencent_id,
               TENCENTCLOUD_SECRET_KEY=tencent_key)
    env.pop("PYTHONUNBUFFERED", None)  # progress must reach a pipe line by line on its own
    return env


# --- the sandbox server ------------------------------------------------------------------------


class SandboxProcess:
    """`livesnap sandbox serve --port 0` in a subprocess; output goes to files so no pipe can fill."""

    def __init__(self, workdir: Path, *, data: Path, seed: int, latency_ms: float = 0.0,
                 drop_rate: float = 0.0) -> None:
        self.data = data
        self._out = workdir / f"sandbox-{seed}.out"
        self._err = workdir / f"sandbox-{seed}.err"
        argv = [*livesnap_argv(), "sandbox", "serve", "--port", "0", "--data", str(data), "--seed", str(seed),
                "--latency-ms", str(latency_ms), "--drop-rate", str(drop_rate)]
        with open(self._out, "wb") as out, open(self._err, "wb") as err:
            self.proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                         env=cli_env(workdir), cwd=workdir)
        self.url = self._wait_for_url(timeout=20)

    def _wait_for_url(self, *, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", self._out.read_text())
            if match:
                return match.group(1)
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise AssertionError(f"sandbox did not start: {self._err.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)

    def emulator(self) -> Emulator:
        """A reader of the same store the server writes (safe while it runs: the store is flocked)."""
        return Emulator(data_dir=self.data)


# --- livesnap commands ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def run(workdir: Path, *args: str, timeout: float = 60) -> Result:
    done = subprocess.run([*livesnap_argv(), *args], capture_output=True, text=True, env=cli_env(workdir),
                          cwd=workdir, timeout=timeout, stdin=subprocess.DEVNULL)
    return Result(done.returncode, done.stdout, done.stderr)


def apply(workdir: Path, manifest: Path, state: Path | str, *extra: str) -> Result:
    return run(workdir, "apply", "--auto-approve", str(manifest), "--state", str(state), *extra)


def plan_exit(workdir: Path, manifest: Path, state: Path | str) -> Result:
    return run(workdir, "plan", "--detailed-exitcode", str(manifest), "--state", str(state))


class LiveApply:
    """An apply subprocess whose stdout is read line by line as it is written."""

    def __init__(self, workdir: Path, manifest: Path, state: Path | str, *extra: str) -> None:
        argv = [*livesnap_argv(), "apply", "--auto-approve", str(manifest), "--state", str(state), *extra]
        self._err_path = workdir / f"apply-{time.monotonic_ns()}.err"
        with open(self._err_path, "wb") as err:
            self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL,
                                         env=cli_env(workdir), cwd=workdir, text=True, bufsize=1)
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for_progress(self, count: int, *, timeout: float = 30) -> list[str]:
        """Block until ``count`` progress lines were printed; returns them."""
        deadline = time.monotonic() + timeout
        progress = [line for line in self.lines if PROGRESS.search(line)]
        while len(progress) < count:
            try:
                line = self._queue.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no progress line {count} within {timeout}s; saw {self.lines[-5:]}") from None
            if line is None:
                raise AssertionError(f"apply ended before progress line {count}: {self.lines[-5:]} "
                                     f"{self._err_path.read_text()[-1000:]}")
            self.lines.append(line)
            if PROGRESS.search(line):
                progress.append(line)
        return progress

    def kill(self) -> int:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        return self.proc.wait(timeout=10)

    def finish(self, *, timeout: float = 60) -> Result:
        code = self.proc.wait(timeout=timeout)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:
                break
            self.lines.append(line)
        return Result(code, "\n".join(self.lines), self._err_path.read_text())


# --- the manifest --------------------------------------------------------------------------------


def write_manifest(path: Path, endpoint: str, *, now: datetime | None = None) -> Path:
    """Two providers on ``endpoint``; 4 templates, 5 always-on ICE jobs, 3 daily Tencent schedules.

    Tencent windows start 2, 4 and 6 hours after ``now`` (UTC), so no occurrence starts, ends or
    crosses the 6-day horizon while a test runs: a plan made a minute later wants the same set.
    """
    now = now or datetime.now(UTC)
    starts = [(now + timedelta(hours=h)).strftime("%H:%M") for h in (2, 4, 6)]
    daily = "days: [mon, tue, wed, thu, fri, sat, sun]"
    jobs = "\n".join(
        f"  cam-{c}:\n    provider: ice\n    rtmp_url: rtmp://ingest.example.com/live/cam-{c}\n"
        f"    output: {{bucket: snaps, endpoint: oss-cn-hangzhou.aliyuncs.com}}\n    snapshots:\n"
        f"      archive: {{template: ice-10s}}\n" + ("      latest: {template: ice-latest}\n" if c != "c" else "")
        for c in "abc")
    path.write_text(f"""version: 1
namespace: {NAMESPACE}
providers:
  ice: {{vendor: alibaba, region: cn-hangzhou, endpoint: "{endpoint}"}}
  css: {{vendor: tencent, region: ap-guangzhou, endpoint: "{endpoint}"}}
templates:
  ice-10s: {{provider: ice, interval: 10, sequence_format: "snap/{{JobId}}/{{UnixTimestamp}}.jpg"}}
  ice-latest: {{provider: ice, interval: 5, overwrite_format: "latest/{{JobId}}.jpg"}}
  css-hd: {{provider: css, interval: 30, cos: {{app_id: 1250000000, bucket: stills, region: ap-guangzhou}}}}
  css-small: {{provider: css, interval: 60, width: 640, cos: {{app_id: 1250000000, bucket: small, region: ap-guangzhou}}}}
streams:
  {TENCENT_STREAM}:
    provider: css
    domain: 5000.live.push.com
    app: live
    stream: {TENCENT_STREAM}
    snapshots:
      morning: {{template: css-hd, schedule: {{{daily}, start: "{starts[0]}", duration: 1h, timezone: UTC}}}}
      noon: {{template: css-small, schedule: {{{daily}, start: "{starts[1]}", duration: 1h, timezone: UTC}}}}
      evening: {{template: css-hd, schedule: {{{daily}, start: "{starts[2]}", duration: 1h, timezone: UTC}}}}
{jobs}""")
    return path


# --- invariants ----------------------------------------------------------------------------------


def read_state(path: Path | str) -> dict[str, Any]:
    """The state document at a file ``path`` or a ``postgresql://`` URL."""
    from livesnap_reconcile.state.location import is_pg_url

    if is_pg_url(str(path)):
        from livesnap_reconcile.state.select import open_backend

        backend = open_backend(str(path))
        try:
            state = backend.read()
        finally:
            backend.close()  # type: ignore[attr-defined]
        assert state is not None, f"no state at {path}"
        return state.to_dict()
    return json.loads(Path(path).read_text())


def remote_inventory(emulator: Emulator) -> dict[str, Any]:
    """Our live objects in the sandbox, by kind; stopped tasks and paused jobs are retired leftovers."""
    tasks = [t for t in emulator.tencent_tasks() if t["StreamName"] == TENCENT_STREAM]
    jobs = [j for j in emulator.alibaba_jobs() if j["JobName"].startswith(f"ls/{NAMESPACE}/")]
    return {
        "tasks": [t for t in tasks if not t["Stopped"]],
        "jobs": [j for j in jobs if j["Status"] != "paused"],
        "templates": [str(t["TemplateId"]) for t in emulator.alibaba_templates() + emulator.tencent_templates()
                      if t["TemplateName"].startswith(f"{NAMESPACE}-")],
    }


def duplicates(inventory: dict[str, Any]) -> list[str]:
    """Live objects that one desired object would have twice.

    Tasks are keyed without their start: a duplicate created mid-window starts later but ends
    with, and uses the template of, the occurrence it repeats.
    """
    tasks = Counter((t["DomainName"], t["AppName"], t["StreamName"], t["EndTime"], t["TemplateId"])
                    for t in inventory["tasks"])
    jobs = Counter(j["JobName"] for j in inventory["jobs"])
    return ([f"task {k} x{n}" for k, n in tasks.items() if n > 1]
            + [f"job {k} x{n}" for k, n in jobs.items() if n > 1])


def check_converged(emulator: Emulator, state_path: Path | str, desired: set[str]) -> None:
    """No duplicates; state and remote agree both ways; every desired address is recorded.

    Plain asserts with messages: pytest rewrites asserts only in test modules, not in this helper.
    """
    inventory = remote_inventory(emulator)
    twice = duplicates(inventory)
    assert not twice, f"duplicate remote objects: {twice}"
    state = read_state(state_path)["resources"]
    live = {"task": {t["TaskId"] for t in inventory["tasks"]}, "job": {j["JobId"] for j in inventory["jobs"]},
            "template": set(inventory["templates"])}
    recorded = {kind: {e["remote_id"] for e in state.values() if e["kind"] == kind} for kind in live}
    dangling = {a: e["remote_id"] for a, e in state.items() if e["remote_id"] not in live[e["kind"]]}
    assert not dangling, f"state points at objects that do not exist (or are stopped/paused): {dangling}"
    unrecorded = {kind: sorted(live[kind] - recorded[kind]) for kind in live if live[kind] - recorded[kind]}
    assert not unrecorded, f"remote objects of our namespace that state does not know: {unrecorded}"
    missing = sorted(desired - set(state))
    assert not missing, f"desired but not in state: {missing}"
    extra = sorted(set(state) - desired)
    assert not extra, f"in state but no longer desired: {extra}"


def desired_addresses(manifest: Path) -> set[str]:
    """What the manifest wants now (the schedule keeps every boundary hours away from now)."""
    from livesnap_reconcile.manifest.expand import expand
    from livesnap_reconcile.manifest.validate import load_and_validate

    return {r.address for r in expand(load_and_validate([manifest]).data, now=int(time.time())).resources}
