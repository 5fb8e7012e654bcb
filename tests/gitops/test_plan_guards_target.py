"""Plans in a GitOps flow: `--summary`, `--detailed-exitcode`, protect guards and `--target`/`--exclude`.

What we test here: the summary is one line per address grouped by stream, then the totals; a
protected snapshot whose block is deleted (guard remembered in state) or whose immutable field
changes fails the plan naming the address; `protect: false` retires the guard; `--target`
applies only what it names plus its dependencies; `--exclude` leaves things out.
"""

from __future__ import annotations

from tests.gitops.conftest import ALL, TASKS

KEYNOTE_BLOCK = """      keynote:
        template: every-10s
        protect: true
        window: {start: "2026-11-25T09:00:00+08:00", end: "2026-11-25T10:00:00+08:00"}
"""


def test_summary_lists_every_address_once_grouped_by_stream(ws):
    result = ws.run("plan", str(ws.root), "--summary", "--detailed-exitcode")
    assert result.exit_code == 2, result.output
    lines = result.stdout.splitlines()
    for address in ALL:
        assert sum(1 for line in lines if line.endswith(" " + address)) == 1, address
        assert any(line.split() == ["+", "create", address] for line in lines), address
    heads = [line for line in lines if line and not line.startswith(" ")]
    assert heads.index("Stream lobby (2 changes):") < heads.index("Stream stage (1 change):")
    assert "{" not in result.stdout  # no attribute blocks
    assert lines[-1] == "Plan: 5 to add, 0 to change, 0 to destroy."


def test_detailed_exitcode_is_0_once_applied(applied):
    result = applied.run("plan", str(applied.root), "--detailed-exitcode")
    assert result.exit_code == 0, result.output


def test_deleting_a_protected_snapshot_fails_the_plan(applied):
    # The block is gone from the manifest; the guard is remembered in state.
    applied.edit(KEYNOTE_BLOCK, "      spare: {template: every-10s, status: paused}\n")

    result = applied.run("plan", str(applied.root))
    assert result.exit_code == 1, result.output
    assert "job.stage.keynote" in result.stderr and "protect" in result.stderr
    assert applied.job()["Status"] == "paused"


def test_replacing_a_protected_snapshot_fails_and_protect_false_retires_the_guard(applied):
    applied.edit("rtmp://push.example.com/live/stage", "rtmp://push.example.com/live/stage-2")
    blocked = applied.run("apply", str(applied.root), "--auto-approve")
    assert blocked.exit_code == 1
    assert "job.stage.keynote" in blocked.stderr
    assert len(applied.emulator.alibaba_jobs()) == 1

    applied.edit("protect: true", "protect: false")
    allowed = applied.run("apply", str(applied.root), "--auto-approve")
    assert allowed.exit_code == 0, allowed.output
    assert applied.state()["resources"]["job.stage.keynote"]["protect"] is False
    assert len(applied.emulator.alibaba_jobs()) == 2


def test_target_applies_only_what_it_names_plus_dependencies(ws):
    result = ws.run("apply", str(ws.root), "--auto-approve", "--target", "task.lobby")
    assert result.exit_code == 0, result.output
    assert sorted(ws.state()["resources"]) == sorted([*TASKS, "template.thumbs"])
    assert ws.emulator.alibaba_jobs() == []
    assert ws.emulator.alibaba_templates() == [t for t in ws.emulator.alibaba_templates()
                                              if not t.get("TemplateName", "").startswith("gitops-")]

    rest = ws.run("plan", str(ws.root), "--summary")
    assert sorted(line.split()[-1] for line in rest.stdout.splitlines() if " create " in line) == [
        "job.stage.keynote", "template.every-10s"]


def test_target_a_single_occurrence_and_exclude(ws):
    result = ws.run("apply", str(ws.root), "--auto-approve", "--target", TASKS[1], "--exclude", "job")
    assert result.exit_code == 0, result.output
    assert sorted(ws.state()["resources"]) == [TASKS[1], "template.thumbs"]

    result = ws.run("apply", str(ws.root), "--auto-approve", "--exclude", "task.lobby.news")
    assert result.exit_code == 0, result.output
    assert TASKS[0] not in ws.state()["resources"]
    assert "job.stage.keynote" in ws.state()["resources"]


def test_a_target_matching_nothing_is_an_error_listing_close_addresses(ws):
    result = ws.run("plan", str(ws.root), "--target", "job.stage.keynot")
    assert result.exit_code == 1
    assert "--target job.stage.keynot matches no address in the manifests or the state" in result.stderr
    assert "close addresses: job.stage.keynote" in result.stderr
    excluded = ws.run("plan", str(ws.root), "--exclude", "task.lobbby")
    assert excluded.exit_code == 1 and "--exclude task.lobbby matches no address" in excluded.stderr


def test_a_narrowed_plan_says_so(ws):
    result = ws.run("plan", str(ws.root), "--target", "job.stage")
    assert result.exit_code == 0, result.output
    assert "Warning: this plan is narrowed by --target/--exclude (only job.stage and what they depend on)" in result.stdout
    markdown = ws.run("plan", str(ws.root), "--exclude", "task.lobby", "--format", "markdown")
    assert "narrowed by --target/--exclude (without task.lobby)" in markdown.stdout
    assert "narrowed" not in ws.run("plan", str(ws.root)).stdout
