"""Smoke test of `bench/`: the modules import and a tiny fleet plans, so `make bench` does not rot.

No wall-clock asserts here: the benchmark numbers are reported by `make bench`, never tested.
"""

from __future__ import annotations

import importlib

import pytest

from bench import plan_scale, synth, table
from bench.requests import cover_pages

MODULES = ("bench.run", "bench.plan_scale", "bench.apply_rate", "bench.startup", "bench.synth",
           "bench.requests", "bench.table", "bench.cli_shim", "bench.state_backends")


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
