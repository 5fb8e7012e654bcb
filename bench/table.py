"""The printed table of `make bench`, and the issue's targets it marks (ok / MISS).

Pure formatting of the result dicts that `bench.run` collects; it measures nothing.
"""

from __future__ import annotations

from typing import Any

TARGETS = {
    "plan_10k_s": 1.0, "plan_100k_s": 10.0, "plan_growth": 12.0, "rss_100k_mb": 600.0,
    "apply_fraction": 0.9, "version_ms": 150.0, "validate_ms": 300.0,
}


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISS"


def _grid(headers: list[str], rows: list[list[Any]]) -> str:
    cells = [headers] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True))  # noqa: E731
    return "\n".join([line(cells[0]), line(["-" * w for w in widths]), *map(line, cells[1:])])


def plan_section(plan: dict[str, Any]) -> str:
    out = []
    pure = {r["size"]: r for r in plan.get("pure", [])}
    rows = []
    for size, r in sorted(pure.items()):
        target = {10000: TARGETS["plan_10k_s"], 100000: TARGETS["plan_100k_s"]}.get(size)
        status = _mark(r["wall_s"] <= target) if target else ""
        rows.append([f"{size:,}", f"{r['resources']:,} ({r['templates']}/{r['jobs']}/{r['tasks']})",
                     sum(r["drift_injected"].values()), f"{r['wall_s']:.3f}", f"{r['wall_median_s']:.3f}",
                     f"{r['cpu_s']:.3f}", f"{r['alloc_peak_mb']:.0f}", f"{r['peak_rss_mb']:.0f}",
                     f"<= {target:g}s {status}" if target else ""])
    out.append("Plan (a): expand + make_plan from refreshed data; best/median of 3, seconds; MB")
    out.append(_grid(["size", "resources (tpl/job/task)", "drift", "wall", "median", "cpu", "alloc peak",
                      "peak RSS", "target"], rows))
    notes = []
    if 10000 in pure and 100000 in pure:
        growth = pure[100000]["wall_s"] / pure[10000]["wall_s"]
        notes.append(f"growth 100k/10k = {growth:.1f}x (target <= {TARGETS['plan_growth']:g}x "
                     f"{_mark(growth <= TARGETS['plan_growth'])})")
    if 100000 in pure:
        rss = pure[100000]["peak_rss_mb"]
        notes.append(f"peak RSS at 100k = {rss:.0f} MB, inputs included (target <= 600 MB "
                     f"{_mark(rss <= TARGETS['rss_100k_mb'])})")
    out += notes
    cli_rows = []
    for r in plan.get("cli", []):
        m = r["minimum"]
        ph = r["phases_s"]
        cli_rows.append([f"{r['size']:,}", f"{r['wall_s']:.2f}", f"{ph.get('load_validate_expand', 0):.2f}",
                         f"{ph.get('refresh', 0):.2f}", f"{ph.get('make_plan', 0):.2f}", f"{ph.get('render', 0):.2f}",
                         f"{r['peak_rss_mb']:.0f}", r["requests_total"], m["total_with_job_gets"],
                         m["total_list_only"], f"{r['at_vendor_rates_s']:g}"])
    if cli_rows:
        out.append("")
        out.append("Plan (b): the `livesnap plan` path incl. refresh through the in-process emulator (rate limits off)")
        out.append(_grid(["size", "wall s", "load+validate+expand", "refresh", "plan", "render", "peak RSS MB",
                          "requests", "min (list+Get/job)", "min (list only)", "s at vendor rates"], cli_rows))
    return "\n".join(out)


def apply_section(apply: dict[str, Any]) -> str:
    rows = []
    for r in apply.get("scenarios", []):
        is_livesnap = r["client"].startswith("livesnap")
        mark = f" {_mark(r['fraction_of_limit'] >= TARGETS['apply_fraction'] and r['throttle_errors_seen'] == 0)}" \
            if is_livesnap else ""
        rows.append([r["client"], f"{r['limit_rps']:g}", r["parallelism"], f"{r['created']}/{apply['creates']}",
                     f"{r['achieved_rps']:.1f}", f"{r['fraction_of_limit']:.2f}{mark}", r["throttle_errors_seen"],
                     r.get("throttled_retried", "-"), f"{r['process_wall_s']:.1f}"])
    head = (f"Apply: {apply.get('creates')} Tencent task creates via `livesnap sandbox serve`, "
            f"+{apply.get('latency_ms')} ms latency (target: >= 0.9 of the limit, 0 throttle errors)")
    return head + "\n" + _grid(["client", "limit/s", "par.", "created", "req/s", "of limit", "throttle errors",
                                "retried", "wall s"], rows)


def startup_section(startup: dict[str, Any]) -> str:
    targets = {"livesnap --version": TARGETS["version_ms"], "livesnap validate examples/manifests/":
               TARGETS["validate_ms"]}
    rows = []
    for name, r in startup.get("commands", {}).items():
        target = targets.get(name)
        rows.append([name, f"{r['median_ms']:.0f}", f"{r['min_ms']:.0f}", f"{r['ratio_to_python']:.1f}x",
                     f"<= {target:g} ms {_mark(r['median_ms'] <= target)}" if target else ""])
    head = f"Start-up: median of {startup.get('runs')} process runs each, interleaved"
    out = head + "\n" + _grid(["command", "median ms", "min ms", "vs python", "target"], rows)
    for key in ("importtime_version", "importtime_validate", "importtime_plan_sandbox"):
        top = startup.get(key) or []
        if top:
            listed = ", ".join(f"{t['module']} {t['cumulative_us'] / 1000:.0f}ms" for t in top[:5])
            out += f"\n  {key.removeprefix('importtime_')}: {listed}"
    return out


def state_section(state: dict[str, Any]) -> str:
    rows = [[r["backend"], r["entries"], r["commits"], f"{r['median_ms']:.2f}", f"{r['p95_ms']:.2f}",
             f"{r['mean_ms']:.2f}"] for r in state.get("commit_latency", [])]
    out = "State commit latency (one write per change, as apply does)\n" + _grid(
        ["backend", "entries", "commits", "median ms", "p95 ms", "mean ms"], rows)
    by = {(r["backend"], r["entries"]): r["median_ms"] for r in state.get("commit_latency", [])}
    ratios = [f"{n} entries {by[('postgresql', n)] / by[('file', n)]:.2f}x" for (b, n) in by
              if b == "file" and ("postgresql", n) in by and by[("file", n)] > 0]
    if ratios:
        out += "\n  PostgreSQL / file median: " + ", ".join(ratios)
    apply_rows = [[r["backend"], f"{r['created']}", f"{r['achieved_rps']:.1f}", f"{r['process_wall_s']:.1f}"]
                  for r in state.get("apply", [])]
    if apply_rows:
        out += "\n\nApply throughput by state backend (400 creates, 200 req/s, parallelism 20)\n" + _grid(
            ["backend", "created", "req/s", "wall s"], apply_rows)
    if state.get("postgresql_missing"):
        out += f"\n  {state['postgresql_missing']}"
    return out


def render(results: dict[str, dict[str, Any]]) -> str:
    parts = []
    if "plan" in results:
        parts.append(plan_section(results["plan"]))
    if "apply" in results:
        parts.append(apply_section(results["apply"]))
    if "startup" in results:
        parts.append(startup_section(results["startup"]))
    if "state" in results:
        parts.append(state_section(results["state"]))
    loads = {k: v["machine"]["load_avg"][0] for k, v in results.items() if "machine" in v}
    if loads:
        parts.append("1-min load average at the start of each part: "
                     + ", ".join(f"{k} {v}" for k, v in loads.items()))
    return "\n\n".join(parts)
