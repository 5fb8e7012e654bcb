"""Smoke test of `bench/`: the modules import and a tiny fleet plans, so `make bench` does not rot.

No wall-clock asserts here: the benchmark numbers are reported by `make bench`, never tested.
"""

from __future__ import annotations

import importlib
import json

import pytest

from bench import plan_scale, synth, table, targets
from bench.requests import cover_pages

MODULES = ("bench.run", "bench.plan_scale", "bench.apply_rate", "bench.startup", "bench.synth",
           "bench.requests", "bench.table", "bench.cli_shim", "bench.state_backends", "bench.targets")


@pytest.mark.parametrize("name", MODULES)
def test_bench_modules_import(name):
    assert importlib.import_module(name).__doc__


def test_tiny_fleet_plans_exactly_the_injected_drift():
    result = plan_scale.run_pure(10, repeat=1)
    injected = result["drift_injected"]
    assert result["changes"] == {"create": injected["deleted_tasks"], "start": injected["paused_jobs"],
                                 "update": injected["edited_templates"]}
    assert result["drift_found"] == sum(injected.values())


def test_tiny_fleet_through_the_cli_path_counts_requests():
    result = plan_scale.run_cli(10)
    assert result["drift_found"] == sum(result["drift_injected"].values())
    assert result["requests_total"] >= result["minimum"]["total_list_only"] > 0
    # Known jobs are refreshed from the listing: no GetLiveSnapshotJob per job.
    assert result["requests"].get("alibaba:GetLiveSnapshotJob", 0) == 0
    assert result["requests"]["alibaba:ListLiveSnapshotJobs"] >= 1
    # The refresh's own CPU is told apart from the in-process sandbox's, and the plan's peak RSS
    # from what the bench held before it.
    assert 0 < result["emulator_cpu_s"] <= result["phases_cpu_s"]["refresh"]
    assert result["refresh_own_cpu_s"] == pytest.approx(result["phases_cpu_s"]["refresh"] - result["emulator_cpu_s"],
                                                        abs=0.002)
    assert result["plan_peak_rss_mb"] >= result["rss_before_mb"] > 0
    assert set(result["phases_cpu_s"]) >= {"load_validate_expand", "refresh", "make_plan"}
    assert "plan" in table.render({"plan": {"pure": [], "cli": [result]}}).lower()


def test_manifest_keeps_tencent_streams_within_three_overlapping_tasks():
    data = synth.manifest(1000)
    for stream in data["streams"].values():
        if stream["provider"] == synth.CSS:
            assert len(stream["snapshots"]) <= 3


def test_cover_pages_counts_windows_and_pages():
    day = 86400
    spans = [(i * 60, i * 60 + 30) for i in range(250)] + [(10 * day, 10 * day + 30)]
    assert cover_pages(spans, window=7 * day) == (2, 4)
    assert cover_pages([], window=7 * day) == (0, 0)


def test_commit_latency_runs_on_both_backends_and_renders(tmp_path, pg_url):
    from bench import state_backends
    from livesnap_reconcile.state import LocalBackend
    from livesnap_reconcile.state.select import open_backend

    pg = open_backend(pg_url)
    rows = [{"backend": "file", **state_backends.commit_latency(LocalBackend(tmp_path / "s.json"), entries=5,
                                                                 commits=3)},
            {"backend": "postgresql", **state_backends.commit_latency(pg, entries=5, commits=3)}]
    pg.close()
    rendered = table.state_section({"commit_latency": rows, "apply": []})
    assert "PostgreSQL / file median" in rendered


def test_apply_with_default_options_runs_through_the_cli_at_the_limit_scenario():
    from bench import apply_rate

    result = apply_rate.run_livesnap(limit=200.0, streams=3)  # 12 creates, the default pool
    assert result["exit_code"] == 0, result["stderr_tail"]
    assert result["created"] == 12 and result["parallelism"] == "auto" and result["throttle_errors_seen"] == 0
    rendered = table.apply_section({"creates": 12, "latency_ms": apply_rate.LATENCY_MS, "scenarios": [result]})
    assert "auto" in rendered


def test_startup_times_each_command_beside_its_baselines():
    from bench import startup

    result = startup.run(runs=1)
    assert set(result["commands"]) >= {targets.PYTHON, targets.PYTHON_YAML, targets.VERSION, targets.VALIDATE}
    version = next(v for v in targets.evaluate({"startup": result}) if v.target.key == "version_ratio")
    assert version.value is not None and version.value > 0 and version.status in ("ok", "MISS")


def _results_for(tiny_cli: dict) -> dict:
    """Results shaped like a full run: the tiny CLI plan stands in for the 10k and 100k rows."""
    return {
        "plan": {"pure": [], "cli": [{**tiny_cli, "size": 10000}, {**tiny_cli, "size": 100000}],
                 "machine": {"load_avg": [0.5, 0.4, 0.3], "date": "d"}, "load_avg_after": [0.7, 0.5, 0.3]},
        "apply": {"creates": 400, "latency_ms": 50, "machine": {"load_avg": [1.0, 1, 1], "date": "d"},
                  "load_avg_after": [1.2, 1, 1],
                  "scenarios": [{"client": "livesnap apply", "limit_rps": 200.0, "parallelism": "auto",
                                 "fraction_of_limit": 0.97, "throttle_errors_seen": 0}]},
    }


def test_targets_read_every_plan_and_apply_figure_and_render_beside_their_limits():
    tiny = plan_scale.run_cli(10)
    verdicts = {v.target.key: v for v in targets.evaluate(_results_for(tiny))}
    phases = tiny["phases_s"]
    assert verdicts["load_validate_expand_100k_s"].value == phases["load_validate_expand"]
    assert verdicts["load_validate_expand_growth"].value == 1.0  # the same row twice
    assert verdicts["refresh_100k_s"].value == phases["refresh"]
    assert verdicts["peak_rss_100k_mb"].value == tiny["plan_rss_over_store_mb"]  # the store is the sandbox's
    assert verdicts["refresh_cpu_share_100k"].value == tiny["refresh_own_cpu_share"]  # not the emulator's CPU
    assert verdicts["refresh_requests_100k"].value == tiny["requests_total"] / tiny["minimum"]["total_list_only"]
    assert verdicts["apply_default_fraction_200"].status == "ok"  # 0.97 >= 0.95
    assert verdicts["apply_throttle_errors"].value == 0 and verdicts["apply_throttle_errors"].status == "ok"
    assert verdicts["version_ratio"].status == "not measured"  # no start-up part in these results
    text = table.targets_section(list(verdicts.values()))
    assert "<= 2 s" in text and ">= 0.95" in text and "not measured" in text


def test_a_run_writes_targets_json_and_the_readme_table(tmp_path, monkeypatch):
    from bench import run

    monkeypatch.setattr(run, "RESULTS", tmp_path / "results")
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n## Performance\n\n{run.BEGIN}\nold\n{run.END}\n\n## Next\n", encoding="utf-8")
    results = _results_for(plan_scale.run_cli(10))
    verdicts = run.report_targets(results, readme=readme)
    stored = json.loads((tmp_path / "results" / "targets.json").read_text())
    assert [t["key"] for t in stored["targets"]] == [v.target.key for v in verdicts]
    assert stored["load"]["apply"] == {"before": 1.0, "after": 1.2, "date": "d"}
    text = readme.read_text()
    assert "old" not in text and text.endswith("## Next\n")
    assert "| target | limit | measured | ratio |" in text and "apply 1.0 → 1.2" in text
    assert run.update_readme("x", tmp_path / "results" / "targets.json") is False  # no markers: untouched
