"""`make bench`: run every benchmark, write `bench/results/<name>.json`, print one table.

    .venv/bin/python -m bench.run                    # everything (about 6-8 minutes on 2 cores)
    .venv/bin/python -m bench.run --only plan        # plan, apply, startup, state: any subset
    .venv/bin/python -m bench.run --cli-sizes 1000,10000,100000   # include the slow 100k CLI plan

Each plan size runs in a fresh subprocess so its peak RSS is its own. Targets (issue 7) are
checked here and marked in the table; nothing fails the run: numbers are reported, not asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import table

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PURE_SIZES = (1000, 10000, 100000)
CLI_SIZES = (1000, 10000)
RESULT_NAMES = {"plan": "plan_scale", "apply": "apply_throughput", "startup": "startup", "state": "state_backends"}


def machine() -> dict[str, Any]:
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
            "load_avg": [round(x, 2) for x in os.getloadavg()], "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def _worker(args: list[str], *, timeout: float) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, "-m", "bench.plan_scale", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"bench.plan_scale {' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def bench_plan(pure_sizes: tuple[int, ...], cli_sizes: tuple[int, ...]) -> dict[str, Any]:
    pure = []
    for size in pure_sizes:
        print(f"  plan (pure) {size} ...", flush=True)
        pure.append(_worker(["--size", str(size), "--mode", "pure", "--repeat", "3"], timeout=600))
    cli = []
    for size in cli_sizes:
        print(f"  plan (cli path) {size} ...", flush=True)
        cli.append(_worker(["--size", str(size), "--mode", "cli"], timeout=1200))
    return {"pure": pure, "cli": cli}


def bench_apply() -> dict[str, Any]:
    from bench import apply_rate

    out = []
    for kind, kwargs in apply_rate.scenarios():
        print(f"  apply {kind} {kwargs} ...", flush=True)
        out.append(apply_rate.run_livesnap(**kwargs) if kind == "livesnap" else apply_rate.run_sdk(**kwargs))
    return {"creates": apply_rate.CREATES, "latency_ms": apply_rate.LATENCY_MS, "scenarios": out}


def bench_startup(runs: int) -> dict[str, Any]:
    from bench import startup

    print(f"  start-up ({runs} runs each) ...", flush=True)
    return startup.run(runs=runs)


def bench_state() -> dict[str, Any]:
    from bench import state_backends

    return state_backends.run()


def write(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def _sizes(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(",") if x.strip())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run livesnap's benchmarks and print the table.")
    parser.add_argument("--only", default="plan,apply,startup,state", help="comma-separated subset")
    parser.add_argument("--pure-sizes", type=_sizes, default=PURE_SIZES)
    parser.add_argument("--cli-sizes", type=_sizes, default=CLI_SIZES)
    parser.add_argument("--startup-runs", type=int, default=10)
    args = parser.parse_args(argv)
    only = {x.strip() for x in args.only.split(",")}
    started = time.perf_counter()
    results: dict[str, dict[str, Any]] = {}
    steps = {"plan": lambda: bench_plan(args.pure_sizes, args.cli_sizes), "apply": bench_apply,
             "startup": lambda: bench_startup(args.startup_runs), "state": bench_state}
    for name, step in steps.items():
        if name not in only:
            continue
        print(f"{name}:", flush=True)
        before = machine()
        t = time.perf_counter()
        payload = step()
        results[name] = {**payload, "machine": before, "load_avg_after": machine()["load_avg"],
                         "seconds": round(time.perf_counter() - t, 1)}
        write(RESULT_NAMES[name], results[name])
    print()
    print(table.render(results))
    print(f"\nTotal {time.perf_counter() - started:.0f}s; results in {RESULTS.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
