"""Applies against a sandbox that loses answers to committed writes, and what it holds afterwards.

Shared by the duplicate/orphan tests and by ``python -m tests.e2e.lost_answers`` (the numbers
quoted in docs/testing.md): the emulator is served over loopback with a seeded drop rate, the CLI
runs in-process with business time pinned, and the result is read from the emulator's own store,
not from anything livesnap says about it.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from livesnap_reconcile.cli.main import cli
from livesnap_reconcile.emulator import SANDBOX_KEYS, Emulator, FaultRule, Faults
from livesnap_reconcile.emulator.clock import Clock
from livesnap_reconcile.emulator.server import serve

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # a Wednesday, 02:00 UTC


@dataclass(frozen=True)
class Counts:
    """What one sandbox holds against what one or more state files record."""

    live_tasks: int
    orphan_tasks: int  # live (not stopped) tasks that no state records
    shared_ids: int  # remote ids recorded at more than one address
    live_jobs: int
    orphan_jobs: int  # started or init jobs that no state records
    wrong_status_jobs: int  # recorded jobs whose remote status is not the desired one
    duplicate_jobs: int  # JobNames held by more than one started job


def env(home: Path) -> dict[str, str]:
    (ali_id, ali_secret), (ten_id, ten_key) = SANDBOX_KEYS["alibaba"], SANDBOX_KEYS["tencent"]
    return {"ALIBABA_CLOUD_ACCESS_KEY_ID": ali_id, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": ali_secret,
            "TENCENTCLOUD_SECRET_ID": ten_id, "TENCENTCLOUD_SECRET_KEY": ten_key, "HOME": str(home),
            "LIVESNAP_NOW": NOW.isoformat(), "NO_COLOR": "1"}


def livesnap(home: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, list(args), env=env(home))


def counts(emulator: Emulator, states: list[Path], desired_status: dict[str, str] | None = None) -> Counts:
    documents = [json.loads(p.read_text())["resources"] if p.exists() else {} for p in states]
    entries = [e for doc in documents for e in doc.values()]
    recorded = Counter((e["kind"], e["remote_id"]) for e in entries)
    tasks = [t for t in emulator.tencent_tasks() if not t["Stopped"]]
    jobs = emulator.alibaba_jobs()
    running = [j for j in jobs if j["Status"] != "paused"]
    by_id = {j["JobId"]: j for j in jobs}
    wrong = 0
    for doc in documents:
        for address, e in doc.items():
            want = (desired_status or {}).get(address)
            if e["kind"] == "job" and want is not None:
                remote = by_id.get(e["remote_id"], {}).get("Status")
                wrong += (remote == "paused") != (want == "paused")
    return Counts(
        live_tasks=len(tasks),
        orphan_tasks=sum(1 for t in tasks if ("task", t["TaskId"]) not in recorded),
        shared_ids=sum(1 for n in recorded.values() if n > 1),
        live_jobs=len(running),
        orphan_jobs=sum(1 for j in running if ("job", j["JobId"]) not in recorded),
        wrong_status_jobs=wrong,
        duplicate_jobs=sum(n - 1 for n in Counter(j["JobName"] for j in running).values() if n > 1),
    )


class DroppingSandbox:
    """An in-memory emulator on loopback that loses the answer to ``drop_rate`` of committed writes."""

    def __init__(self, *, drop_rate: float = 0.0, seed: int = 0, rules: dict[str, FaultRule] | None = None) -> None:
        faults = Faults(rps=0, drop_rate=drop_rate, rules=rules or {})
        self.emulator = Emulator(clock=Clock(now=NOW.timestamp()), faults=faults, seed=seed)
        self._server = serve(self.emulator)
        self.url = self._server.url

    def close(self) -> None:
        self._server.shutdown()

    def __enter__(self) -> DroppingSandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def twin_manifest(endpoint: str, *, namespace: str = "twins", streams: int = 6, jobs: int = 8,
                  stream_prefix: str = "cam") -> str:
    """Tencent streams with two snapshots of one identity each, and ICE jobs paused by their schedule.

    Each Tencent stream has ``a`` and ``b`` with the same template and window (a collision the
    validator warns about); each ICE job runs Saturdays only, so on this Wednesday it is paused.
    """
    lines = [f"version: 1\nnamespace: {namespace}\nproviders:\n",
             f"  ice: {{vendor: alibaba, region: cn-shanghai, endpoint: \"{endpoint}\"}}\n",
             f"  css: {{vendor: tencent, endpoint: \"{endpoint}\"}}\n",
             "templates:\n",
             "  t10: {provider: css, interval: 10, cos: {app_id: 1250000000, bucket: b1, region: ap-guangzhou}}\n",
             "  a10: {provider: ice, interval: 10, sequence_format: \"s/{JobId}/{UnixTimestamp}.jpg\"}\n",
             "streams:\n"]
    window = 'window: {start: "2026-11-25T04:00:00Z", end: "2026-11-25T05:00:00Z"}'
    for s in range(streams):
        lines.append(f"  {stream_prefix}{s}:\n    provider: css\n    domain: 5000.live.push.com\n    app: live\n"
                     f"    stream: {stream_prefix}{s}\n    snapshots:\n      a: {{template: t10, {window}}}\n"
                     f"      b: {{template: t10, {window}}}\n")
    for j in range(jobs):
        lines.append(f"  ice{j}:\n    provider: ice\n    rtmp_url: rtmp://push.example.com/live/ice{j}\n"
                     "    output: {bucket: snaps, endpoint: oss-cn-shanghai.aliyuncs.com}\n    snapshots:\n"
                     "      sat: {template: a10, schedule: {days: [sat], start: \"10:00\", duration: 2h, "
                     "timezone: UTC}}\n")
    return "".join(lines)


def paused_jobs(jobs: int = 8) -> dict[str, str]:
    """`twin_manifest`'s jobs and their desired status on its Wednesday."""
    return {f"job.ice{j}.sat": "paused" for j in range(jobs)}


def measure(root: Path, *, drop_rate: float, seed: int, streams: int = 6, jobs: int = 8) -> tuple[Counts, int]:
    """One apply of `twin_manifest` against a sandbox dropping answers: what it holds, and the
    exit code of a ``plan --detailed-exitcode`` made afterwards without drops."""
    root.mkdir(parents=True, exist_ok=True)
    with DroppingSandbox(drop_rate=drop_rate, seed=seed) as box:
        manifest = root / "live.yaml"
        manifest.write_text(twin_manifest(box.url, streams=streams, jobs=jobs))
        state = root / "state.json"
        livesnap(root, "--state", str(state), "apply", "--auto-approve", "--parallelism", "4", str(manifest))
        box.emulator.faults = Faults(rps=0)
        plan = livesnap(root, "--state", str(state), "plan", "--detailed-exitcode", str(manifest))
        return counts(box.emulator, [state], paused_jobs(jobs)), plan.exit_code


if __name__ == "__main__":  # pragma: no cover - a measurement, run by hand
    import sys
    import tempfile

    rates = [float(r) for r in sys.argv[1:]] or [0.3, 0.5]
    for rate in rates:
        totals: Counter[str] = Counter()
        for seed in range(int(os.environ.get("SEEDS", "5"))):
            with tempfile.TemporaryDirectory() as tmp:
                c, plan_exit = measure(Path(tmp), drop_rate=rate, seed=seed)
            totals.update({k: v for k, v in c.__dict__.items()})
            print(f"drop {rate:.0%} seed {seed}: {c}, then plan exits {plan_exit}")
        print(f"drop {rate:.0%} total: {dict(totals)}")
