"""The shipped examples keep showing every feature, whatever day a newcomer runs them.

What we test here: at instants spread from today's era to decades ahead (injected, never read from
the wall clock), the examples validate with no warning at all, and their expansion still has
windows, a window longer than 24 h split into parts, schedules that produce tasks inside the
horizon, deferred occurrences, always-on and scheduled Alibaba jobs; and `livesnap validate`
honours the pinned business time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from livesnap_reconcile.cli.main import cli
from livesnap_reconcile.manifest.expand import expand
from livesnap_reconcile.manifest.load import load_manifest
from livesnap_reconcile.manifest.validate import validate

EXAMPLES = Path(__file__).parents[2] / "examples" / "manifests"
INSTANTS = [
    datetime(2026, 12, 2, 9, 0, tzinfo=UTC),
    datetime(2028, 2, 29, 23, 30, tzinfo=UTC),
    datetime(2031, 6, 1, 12, 0, tzinfo=UTC),
    datetime(2047, 10, 27, 1, 30, tzinfo=UTC),  # a DST change in Europe/Berlin that night
    datetime(2098, 12, 31, 23, 59, tzinfo=UTC),
]


@pytest.fixture(scope="module")
def loaded():
    return load_manifest([EXAMPLES])


@pytest.mark.parametrize("now", INSTANTS, ids=lambda d: d.date().isoformat())
def test_examples_are_valid_without_warnings(loaded, now: datetime):
    assert validate(loaded, now=now) == []


@pytest.mark.parametrize("now", INSTANTS, ids=lambda d: d.date().isoformat())
def test_examples_show_every_feature(loaded, now: datetime):
    state = expand(loaded.data, now=int(now.timestamp()))
    addresses = [r.address for r in state.resources]
    deferred = [d.address for d in state.deferred]

    def snapshots(kind: str, names: list[str]) -> set[str]:
        return {a.split("[")[0] for a in names if a.startswith(f"{kind}.")}

    scheduled_tasks = snapshots("task", addresses)
    assert {"task.arena.league-night", "task.arena.weekend-cup", "task.conference-hall.keynotes",
            "task.lobby.news"} <= scheduled_tasks, "schedules yield tasks inside the horizon"
    windows = [a for a in deferred if a.split("[")[0] in ("task.lobby.launch", "task.conference-hall.expo")]
    expo_parts = [a for a in windows if a.startswith("task.conference-hall.expo[")]
    assert len(expo_parts) == 3, "the 57-hour window is split into three parts of at most 24 h"
    assert "task.lobby.launch[2099-03-02T01:00Z]" in windows
    assert len(deferred) > len(windows), "schedule occurrences beyond the horizon are deferred too"
    jobs = {r.address: r.attributes["status"] for r in state.resources if r.kind == "job"}
    assert jobs["job.main-stage.always-on"] == "started"
    assert "job.main-stage.matinee" in jobs and "job.cam-loading-dock.night-shift" in jobs
    assert jobs["job.cam-spare.archive"] == "paused"
    rules = {r.address: r.attributes["stream"] for r in state.resources if r.kind == "rule"}
    assert rules == {"rule.lobby-cam.always": "lobby-cam"}, "an always-on Tencent snapshot is a rule"
    assert state.next_change_at is not None and state.next_change_at > now.timestamp()


def test_validate_reads_the_pinned_business_time(tmp_path: Path):
    manifest = tmp_path / "m.yaml"
    manifest.write_text((EXAMPLES / "newsroom.yaml").read_text())
    runner = CliRunner()
    before = runner.invoke(cli, ["validate", str(manifest)], env={"LIVESNAP_NOW": "2099-01-01T00:00:00Z"})
    after = runner.invoke(cli, ["validate", str(manifest)], env={"LIVESNAP_NOW": "2099-03-05T00:00:00+08:00"})
    assert before.exit_code == after.exit_code == 0
    assert "warning" not in before.output + before.stderr
    assert "window ended" in after.stderr and "1 file valid, 1 warning" in after.output


def test_a_malformed_pinned_time_is_one_clear_error(tmp_path: Path):
    manifest = tmp_path / "m.yaml"
    manifest.write_text((EXAMPLES / "newsroom.yaml").read_text())
    result = CliRunner().invoke(cli, ["validate", str(manifest)], env={"LIVESNAP_NOW": "next tuesday"})
    assert result.exit_code == 1
    assert "LIVESNAP_NOW='next tuesday' is not unix seconds or an ISO 8601 time with an offset" in result.stderr
    assert "Traceback" not in result.output + result.stderr
