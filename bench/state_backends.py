"""State backends side by side: commit latency and apply throughput, local file vs PostgreSQL.

- commit latency: a state of N entries (a few hundred bytes each), then C commits that each change
  one entry, as the applier does after every change; median / p95 / mean of ``backend.write``.
  The file backend writes state + backup with fsyncs; PostgreSQL runs one transaction (row lock,
  serial check, update, history insert, retention trim) on a local server started here with
  fsync on (`tests/pgcluster.py`, as the suite does), over TCP on 127.0.0.1.
- apply throughput: `bench.apply_rate.run_livesnap` (400 Tencent task creates against
  `livesnap sandbox serve`, 200 req/s, parallelism 20) with ``--state`` a file, then a URL.

Numbers are reported, not asserted. Without PostgreSQL server binaries the PostgreSQL rows say so.
"""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

SIZES = (100, 1000)
COMMITS = 200


def _state(entries: int):
    from livesnap_reconcile.state import State

    state = State.new().with_provider("css", "tencent", "https://live.tencentcloudapi.com")
    for i in range(entries):
        state = state.with_entry(_entry(i, 0))
    return state


def _entry(i: int, version: int):
    from livesnap_reconcile.state import StateEntry

    return StateEntry(address=f"task.cam{i:05d}.w0[2026-11-25T11:00Z]", kind="task", provider="css",
                      remote_id=f"task-{i}-{version}", created_at=1_790_000_000 + version,
                      attributes={"domain": "5000.live.push.com", "app": "live", "stream": f"cam{i:05d}",
                                  "start": 1_790_000_000, "end": 1_790_003_600, "template_id": 12345})


def commit_latency(backend, *, entries: int, commits: int) -> dict[str, Any]:
    state = backend.write(_state(entries))
    times = []
    for k in range(commits):
        changed = state.with_entry(_entry(k % entries, k + 1))
        started = time.perf_counter()
        state = backend.write(changed)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"entries": entries, "commits": commits, "median_ms": round(statistics.median(times), 3),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 3), "mean_ms": round(statistics.fmean(times), 3)}


def _cluster():
    """A started cluster, or the reason there is none."""
    import pytest

    from tests.pgcluster import Cluster

    try:
        return Cluster(fsync=True), ""
    except (pytest.skip.Exception, pytest.fail.Exception, RuntimeError) as exc:  # type: ignore[misc]
        return None, str(exc)


def run(*, sizes: tuple[int, ...] = SIZES, commits: int = COMMITS, apply: bool = True) -> dict[str, Any]:
    from livesnap_reconcile.state import LocalBackend
    from livesnap_reconcile.state.select import open_backend

    cluster, missing = _cluster()
    rows: list[dict[str, Any]] = []
    throughput: list[dict[str, Any]] = []
    try:
        with tempfile.TemporaryDirectory(prefix="livesnap-state-bench-") as tmp:
            for size in sizes:
                print(f"  commit latency, {size} entries ...", flush=True)
                file_backend = LocalBackend(Path(tmp) / f"s{size}" / "state.json")
                rows.append({"backend": "file", **commit_latency(file_backend, entries=size, commits=commits)})
                if cluster is not None:
                    pg = open_backend(cluster.url(name=f"bench-{size}-{uuid.uuid4().hex[:6]}"))
                    rows.append({"backend": "postgresql", **commit_latency(pg, entries=size, commits=commits)})
                    pg.close()  # type: ignore[attr-defined]
        if apply:
            from bench import apply_rate

            print("  apply throughput, file state ...", flush=True)
            throughput.append({"backend": "file", **apply_rate.run_livesnap(limit=200, parallelism=20)})
            if cluster is not None:
                print("  apply throughput, PostgreSQL state ...", flush=True)
                url = cluster.url(name=f"bench-apply-{uuid.uuid4().hex[:6]}")
                throughput.append({"backend": "postgresql",
                                   **apply_rate.run_livesnap(limit=200, parallelism=20, state=url)})
    finally:
        if cluster is not None:
            cluster.stop()
    return {"commit_latency": rows, "apply": throughput, "postgresql_missing": missing}
