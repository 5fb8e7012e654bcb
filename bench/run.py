"""`make bench`: run every benchmark, write `bench/results/<name>.json`, print the tables and targets.

    .venv/bin/python -m bench.run                    # everything, the 100k `livesnap plan` included
    .venv/bin/python -m bench.run --only plan        # plan, apply, startup, state: any subset
    .venv/bin/python -m bench.run --cli-sizes 1000,10000   # leave out the slow 100k CLI plan

Each plan size runs in a fresh subprocess so its peak RSS is its own. Each part records the load
average before and after it. The targets (`bench/targets.py`) are read from the newest result of
every part (this run's, or an earlier run's for parts not run now), printed beside their figures,
written to `bench/results/targets.json` and, as a Markdown table, into README.md's Performance
section between its `bench:targets` markers. Nothing fails the run: numbers are reported, not asserted.
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

from bench import table, targets

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PURE_SIZES = (1000, 10000, 100000)
CLI_SIZES = (1000, 10000, 100000)
RESULT_NAMES = {"plan": "plan_scale", "apply": "apply_throughput", "startup": "startup", "state": "state_backends"}
README = ROOT / "README.md"
BEGIN, END = "<!-- bench:targets:begin (written by `make bench`) -->", "<!-- bench:targets:end -->"


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


def latest(results_dir: Path = RESULTS) -> dict[str, dict[str, Any]]:
    """The newest stored result of every part."""
    out = {}
    for part, name in RESULT_NAMES.items():
        path = results_dir / f"{name}.json"
        if path.exists():
            out[part] = json.loads(path.read_text(encoding="utf-8"))
    return out


def loads(results: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {part: {"before": r["machine"]["load_avg"][0], "after": (r.get("load_avg_after") or ["?"])[0],
                   "date": r["machine"].get("date", "?")} for part, r in results.items() if "machine" in r}


def update_readme(markdown: str, readme: Path = README) -> bool:
    """Put ``markdown`` between the README's markers; False (and nothing written) without them."""
    text = readme.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        return False
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{BEGIN}\n{markdown}\n{END}{tail}", encoding="utf-8")
    return True


def report_targets(results: dict[str, dict[str, Any]], *, readme: Path | None = README) -> list[targets.Verdict]:
    """Evaluate, write `targets.json` and the README table from ``results``; the verdicts."""
    verdicts = targets.evaluate(results)
    write("targets", {"targets": [v.to_dict() for v in verdicts], "load": loads(results)})
    if readme is not None and not update_readme(table.targets_markdown(verdicts, loads(results)), readme):
        print(f"  {readme.name} has no {BEGIN} ... {END} section: not updated")
    return verdicts


def _sizes(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(",") if x.strip())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run livesnap's benchmarks and print the table.")
    parser.add_argument("--only", default="plan,apply,startup,state", help="comma-separated subset")
    parser.add_argument("--pure-sizes", type=_sizes, default=PURE_SIZES)
    parser.add_argument("--cli-sizes", type=_sizes, default=CLI_SIZES)
    # A round takes about 1.1 s (most of it the plan --sandbox run). With 10 rounds the validate
    # ratio moved between 1.62x and 1.68x from run to run on this shared machine; more rounds
    # steady the medians.
    parser.add_argument("--startup-runs", type=int, default=30)
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite README.md's targets table")
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
        print(f"  {results[name]['seconds']:g}s; load average {before['load_avg']} -> "
              f"{results[name]['load_avg_after']}", flush=True)
    verdicts = report_targets({**latest(), **results}, readme=None if args.no_readme else README)
    print()
    print(table.render(results, verdicts))
    print(f"\nTotal {time.perf_counter() - started:.0f}s; results in {RESULTS.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
