"""Plan at scale, one size per process (so peak RSS is per size): ``python -m bench.plan_scale``.

Two modes, each printing one JSON object on stdout:

- ``pure``: expand + make_plan from already-refreshed data (the `RemoteObject` list is built once,
  in a child process, and handed over pickled, so peak RSS counts the inputs and planning only). Best and median of ``--repeat`` runs, wall and CPU time; the allocation
  peak of one traced run (tracemalloc, inputs excluded); the process's peak RSS.
- ``cli``: what `livesnap plan` does (load + validate the YAML, read state, refresh through the
  in-process emulator, plan, render text) via the CLI's own `compute_plan`, with per-phase wall and
  CPU times, the vendor requests the refresh made next to the minimum the list APIs allow, the
  refresh's own CPU (the sandbox's answering taken out) next to the time the vendors' rates
  impose, and the peak RSS during the plan beside the RSS the sandbox store already held.

It must not assert anything: `bench.run` compares with the targets.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import Any

from bench import synth
from bench.requests import minimum_requests


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def current_rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _counts(desired: Any) -> dict[str, int]:
    kinds = Counter(r.kind for r in desired.resources)
    return {"resources": len(desired.resources), **{f"{k}s": kinds[k] for k in ("template", "job", "task")},
            "deferred": len(desired.deferred)}


def build_inputs(size: int, out: Path) -> None:
    """Build the fleet and pickle what planning takes (manifest data, state, remote objects)."""
    fleet = synth.build(size)
    fleet.desired = None
    with open(out, "wb") as fh:
        pickle.dump(fleet, fh, protocol=pickle.HIGHEST_PROTOCOL)


def load_inputs(size: int) -> synth.Fleet:
    """The fleet of ``size``, built in a child process so that this process's peak RSS holds
    only what `livesnap plan` would hold (the inputs and the planning), not the sandbox store."""
    with tempfile.TemporaryDirectory(prefix="livesnap-bench-") as tmp:
        path = Path(tmp) / "fleet.pickle"
        subprocess.run([sys.executable, "-m", "bench.plan_scale", "--mode", "build", "--size", str(size),
                        "--out", str(path)], check=True, cwd=Path(__file__).resolve().parent.parent)
        with open(path, "rb") as fh:
            fleet: synth.Fleet = pickle.load(fh)
    return fleet


def run_pure(size: int, *, repeat: int) -> dict[str, Any]:
    """Expand and plan ``size`` from refreshed data, timed as `ops.workflow.compute_plan` runs them:
    with the cyclic collector paused (left on, it walks the fleet's inputs again and again, and
    at 100k that doubles the expansion's time)."""
    from livesnap_reconcile.core.collector import collector_paused
    from livesnap_reconcile.manifest.expand import expand
    from livesnap_reconcile.plan.planner import make_plan

    fleet = load_inputs(size)
    gc.collect()
    rss_inputs = current_rss_mb()
    walls, cpus, plan = [], [], None
    for _ in range(repeat):
        desired = plan = None
        gc.collect()
        w, c = time.perf_counter(), time.process_time()
        with collector_paused():
            desired = expand(fleet.data, now=fleet.now)
            plan = make_plan(desired, fleet.state.resources, fleet.remote, now=fleet.now)
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    peak_untraced = peak_rss_mb()  # before tracemalloc, whose own bookkeeping costs memory
    desired = plan = None
    gc.collect()
    tracemalloc.start()
    desired = expand(fleet.data, now=fleet.now)
    plan = make_plan(desired, fleet.state.resources, fleet.remote, now=fleet.now)
    traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    actions = Counter(c.action.value for c in plan.changes)
    return {"mode": "pure", "size": size, **_counts(desired), "drift_injected": fleet.drift,
            "changes": dict(actions), "drift_found": len(plan.drift),
            "wall_s": min(walls), "wall_median_s": statistics.median(walls), "cpu_s": min(cpus),
            "alloc_peak_mb": round(traced_peak, 1), "rss_inputs_mb": round(rss_inputs, 1),
            "peak_rss_mb": round(peak_untraced, 1)}


def run_cli(size: int) -> dict[str, Any]:
    import yaml

    from livesnap_reconcile.cli.main import GlobalOptions
    from livesnap_reconcile.cli.plan import render
    from livesnap_reconcile.emulator import Clock, Emulator, Faults
    from livesnap_reconcile.ops import workflow
    from livesnap_reconcile.ops.session import Session
    from livesnap_reconcile.plan import planner
    from livesnap_reconcile.state import LocalBackend

    # Rate limits off on both sides: the refresh's cost in requests is reported separately, and
    # its time at the vendors' documented rates is a matter of arithmetic (see `at_vendor_rates_s`).
    emu = Emulator(data_dir=None, clock=Clock(now=synth.NOW), faults=Faults(default_limits=False))
    fleet = synth.build(size, emulator=emu, max_rps=1e6)
    with tempfile.TemporaryDirectory(prefix="livesnap-bench-") as tmp:
        home = Path(tmp)
        (home / "fleet.yaml").write_text(yaml.safe_dump(fleet.data, sort_keys=False), encoding="utf-8")
        LocalBackend(home / "state.json").write(fleet.state)
        manifest_mb = (home / "fleet.yaml").stat().st_size / 2**20
        state_mb = (home / "state.json").stat().st_size / 2**20
        del fleet.remote[:]
        drift = fleet.drift
        fleet.data, fleet.state, fleet.desired = {}, None, None  # the bench's copies, not livesnap's
        gc.collect()
        rss_before = current_rss_mb()
        emu.request_log.clear()
        phases: dict[str, float] = {}
        phases_cpu: dict[str, float] = {}
        _time_phases(phases, workflow, planner, cpu=phases_cpu)
        emulator_cpu = _time_emulator(emu)
        sampler = RssSampler()
        opts = GlobalOptions(state=home / "state.json", sandbox=True, lock_timeout=30.0, color=False, verbose=False)
        session = Session(opts, [home], home / "state.json", None, lambda: synth.NOW, emu)
        w, c = time.perf_counter(), time.process_time()
        try:
            with sampler, workflow.state_lock(session, "plan") as backend:
                planned = workflow.compute_plan(session, backend)
        finally:
            session.close()
        t = time.perf_counter()
        text = render(planned.plan, "text", color=False)
        phases["render"] = time.perf_counter() - t
        wall, cpu = time.perf_counter() - w, time.process_time() - c
    made = Counter(f"{v}:{a}" for v, a in emu.request_log)
    minimum = minimum_requests(planned.desired, planned.state, emu, now=synth.NOW)
    actions = Counter(c.action.value for c in planned.plan.changes)
    at_rates = _at_vendor_rates(made)
    own_refresh_cpu = phases_cpu.get("refresh", 0.0) - emulator_cpu[0]
    return {"mode": "cli", "size": size, **_counts(planned.desired), "drift_injected": drift,
            "changes": dict(actions), "drift_found": len(planned.plan.drift), "wall_s": wall, "cpu_s": cpu,
            "phases_s": {k: round(v, 3) for k, v in phases.items()},
            "phases_cpu_s": {k: round(v, 3) for k, v in phases_cpu.items()}, "rendered_chars": len(text),
            "manifest_mb": round(manifest_mb, 2), "state_mb": round(state_mb, 2),
            "requests": dict(sorted(made.items())), "requests_total": sum(made.values()),
            "minimum": minimum, "rss_before_mb": round(rss_before, 1), "peak_rss_mb": round(peak_rss_mb(), 1),
            "plan_peak_rss_mb": round(sampler.peak, 1), "plan_rss_over_store_mb": round(sampler.peak - rss_before, 1),
            "emulator_cpu_s": round(emulator_cpu[0], 3), "refresh_own_cpu_s": round(own_refresh_cpu, 3),
            "refresh_own_cpu_share": round(own_refresh_cpu / at_rates, 3) if at_rates else None,
            "at_vendor_rates_s": at_rates}


class RssSampler:
    """The highest resident set size while inside the block, sampled every 5 ms by a thread.

    `peak_rss_mb` cannot tell the plan's peak from the bench's own (building the fleet and the
    sandbox store comes first, in the same process); this starts from the RSS at entry.
    """

    def __init__(self, interval: float = 0.005) -> None:
        self.interval, self.peak = interval, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, current_rss_mb())
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self.peak = current_rss_mb()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, current_rss_mb())


def _time_emulator(emu: Any) -> list[float]:
    """CPU seconds the in-process sandbox spends answering (so a refresh's own CPU can be told
    apart): each request's thread time, summed; returns the one-item list that accumulates it."""
    spent = [0.0]
    lock = threading.Lock()
    handle = emu.handle

    def timed(request: Any) -> Any:
        t = time.thread_time()
        try:
            return handle(request)
        finally:
            with lock:
                spent[0] += time.thread_time() - t

    emu.handle = timed
    return spent


def _time_phases(phases: dict[str, float], workflow: Any, planner: Any, *, cpu: dict[str, float]) -> None:
    """Wrap the steps `compute_plan` calls so the total splits into phases (no behaviour change):
    wall time into ``phases``, the process's CPU time (every thread) into ``cpu``."""
    def timed(name: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t, c = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                phases[name] = phases.get(name, 0.0) + time.perf_counter() - t
                cpu[name] = cpu.get(name, 0.0) + time.process_time() - c
        return wrapper

    workflow.load_desired = timed("load_validate_expand", workflow.load_desired)
    workflow.refresh = timed("refresh", workflow.refresh)
    planner.make_plan = timed("make_plan", planner.make_plan)


def _at_vendor_rates(made: Counter[str]) -> float:
    """Least seconds the same requests take at livesnap's default client rates (providers run in
    parallel): Tencent 20/s per action group, ICE 50/s."""
    tencent = sum(n for k, n in made.items() if k.startswith("tencent:"))
    alibaba = sum(n for k, n in made.items() if k.startswith("alibaba:"))
    return round(max(tencent / 20.0, alibaba / 50.0), 1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--mode", choices=("pure", "cli", "build"), default="pure")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, help="where --mode build writes its pickle")
    args = parser.parse_args(argv)
    if args.mode == "build":
        build_inputs(args.size, args.out)
        return
    result = run_pure(args.size, repeat=args.repeat) if args.mode == "pure" else run_cli(args.size)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
