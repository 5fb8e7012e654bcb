"""The printed tables of `make bench`: each part's figures, then every target beside its figure.

Pure formatting of the result dicts that `bench.run` collects and of `bench.targets.evaluate`'s
verdicts (also as the Markdown table the README shows); it measures nothing.
"""

from __future__ import annotations

from typing import Any

from bench.targets import Verdict


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
        rows.append([f"{size:,}", f"{r['resources']:,} ({r['templates']}/{r['jobs']}/{r['tasks']})",
                     sum(r["drift_injected"].values()), f"{r['wall_s']:.3f}", f"{r['wall_median_s']:.3f}",
                     f"{r['cpu_s']:.3f}", f"{r['alloc_peak_mb']:.0f}", f"{r['peak_rss_mb']:.0f}"])
    if rows:
        out.append("Plan (a): expand + make_plan from refreshed data; best/median of 3, seconds; MB")
        out.append(_grid(["size", "resources (tpl/job/task)", "drift", "wall", "median", "cpu", "alloc peak",
                          "peak RSS"], rows))
    cli_rows = []
    for r in plan.get("cli", []):
        m = r["minimum"]
        ph = r["phases_s"]
        cli_rows.append([f"{r['size']:,}", f"{r['wall_s']:.2f}", f"{ph.get('load_validate_expand', 0):.2f}",
                         f"{ph.get('refresh', 0):.2f}", f"{ph.get('make_plan', 0):.2f}", f"{ph.get('render', 0):.2f}",
                         f"{r['peak_rss_mb']:.0f}", r["requests_total"], m.get("total_with_job_gets", "-"),
                         m["total_list_only"], f"{r['at_vendor_rates_s']:g}"])
    if cli_rows:
        if out:
            out.append("")
        out.append("Plan (b): the `livesnap plan` path incl. refresh through the in-process emulator (rate limits off)")
        out.append(_grid(["size", "wall s", "load+validate+expand", "refresh", "plan", "render", "peak RSS MB",
                          "requests", "min (list+Get/job)", "min (list only)", "s at vendor rates"], cli_rows))
    return "\n".join(out)


def apply_section(apply: dict[str, Any]) -> str:
    rows = []
    for r in apply.get("scenarios", []):
        rows.append([r["client"], f"{r['limit_rps']:g}", r["parallelism"], f"{r['created']}/{apply['creates']}",
                     f"{r['achieved_rps']:.1f}", f"{r['fraction_of_limit']:.2f}", r["throttle_errors_seen"],
                     r.get("throttled_retried", "-"), f"{r['process_wall_s']:.1f}"])
    head = (f"Apply: {apply.get('creates')} Tencent task creates via `livesnap sandbox serve`, "
            f"+{apply.get('latency_ms')} ms latency; par. auto = the default pool (rate x observed latency)")
    return head + "\n" + _grid(["client", "limit/s", "par.", "created", "req/s", "of limit", "throttle errors",
                                "retried", "wall s"], rows)


def startup_section(startup: dict[str, Any]) -> str:
    rows = []
    for name, r in startup.get("commands", {}).items():
        rows.append([name, f"{r['median_ms']:.0f}", f"{r['min_ms']:.0f}", f"{r['ratio_to_python']:.2f}x"])
    head = f"Start-up: median of {startup.get('runs')} process runs each, interleaved"
    out = head + "\n" + _grid(["command", "median ms", "min ms", "vs python -c pass"], rows)
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


def _limit(v: Verdict) -> str:
    t = v.target
    unit = {"s": " s", "MB": " MB", "x": "x", "": ""}[t.unit]
    return f"{'>=' if t.at_least else '<='} {t.limit:g}{unit}"


def _value(v: Verdict) -> str:
    if v.value is None:
        return "-"
    unit = v.target.unit
    if unit == "s":
        return f"{v.value:.2f} s"
    if unit == "MB":
        return f"{v.value:.0f} MB"
    if unit == "x":
        return f"{v.value:.3f}x" if v.value < 10 else f"{v.value:.1f}x"
    return f"{v.value:g}"


def _ratio(v: Verdict) -> str:
    return "-" if v.ratio is None else f"{v.ratio:.2f}"


def targets_section(verdicts: list[Verdict]) -> str:
    rows = [[v.target.what, _limit(v), _value(v), _ratio(v), v.status] for v in verdicts]
    met = sum(v.status == "ok" for v in verdicts)
    measured = sum(v.value is not None for v in verdicts)
    return (f"Targets (bench/targets.py): {met} of {measured} measured met; ratio = measured / target\n"
            + _grid(["target", "limit", "measured", "ratio", ""], rows))


def targets_markdown(verdicts: list[Verdict], loads: dict[str, dict[str, Any]]) -> str:
    """The README's table: target | measured | ratio, and when and under what load each part ran."""
    lines = ["| target | limit | measured | ratio | |", "|---|---|---|---|---|"]
    for v in verdicts:
        lines.append(f"| {v.target.what} | {_limit(v).replace('<=', '≤').replace('>=', '≥')} | {_value(v)} | "
                     f"{_ratio(v)} | {v.status} |")
    lines.append("")
    lines.append("Load average (1 min) before → after each part, on 2 shared cores: " + "; ".join(
        f"{part} {info['before']} → {info['after']} ({info['date']})" for part, info in loads.items()) + ".")
    return "\n".join(lines)


def load_line(results: dict[str, dict[str, Any]]) -> str:
    parts = [f"{k} {v['machine']['load_avg']} -> {v.get('load_avg_after', '?')}"
             for k, v in results.items() if "machine" in v]
    return "Load average (1/5/15 min) before -> after each part: " + "; ".join(parts) if parts else ""


def render(results: dict[str, dict[str, Any]], verdicts: list[Verdict] | None = None) -> str:
    parts = []
    if "plan" in results:
        parts.append(plan_section(results["plan"]))
    if "apply" in results:
        parts.append(apply_section(results["apply"]))
    if "startup" in results:
        parts.append(startup_section(results["startup"]))
    if "state" in results:
        parts.append(state_section(results["state"]))
    if verdicts:
        parts.append(targets_section(verdicts))
    loads = load_line(results)
    if loads:
        parts.append(loads)
    return "\n\n".join(parts)
