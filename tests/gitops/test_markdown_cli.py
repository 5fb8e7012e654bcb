"""`show --format markdown` and `plan --format markdown` at PR-comment size, through the CLI.

What we test here: a saved 5,000-change plan over 200 streams renders under GitHub's 65,000
character comment limit and still shows the totals and every stream; a real sandbox plan in
markdown carries the table by action and a section per stream.
"""

from __future__ import annotations

from livesnap_reconcile.core.timeutil import format_task_stamp
from livesnap_reconcile.plan.model import Action, Change, Drift, Plan
from livesnap_reconcile.plan.planfile import save

LIMIT = 65_000


def _big_plan() -> Plan:
    actions = [Action.CREATE, Action.UPDATE, Action.DELETE, Action.REPLACE, Action.ADOPT]
    changes = []
    for i in range(5_000):
        stream = f"stream-{i % 200:03d}"
        action = actions[i % len(actions)]
        attrs = {"domain": "5000.live.push.com", "app": "live", "stream": stream, "start": 1_795_564_800 + i * 60,
                 "end": 1_795_568_400 + i * 60, "template": {"id": "10001"}}
        changes.append(Change(f"task.{stream}.snap[{format_task_stamp(attrs['start'])}]", action, "task", "css", "test",
                              before=None if action is Action.CREATE else attrs,
                              after=None if action is Action.DELETE else {**attrs, "end": attrs["end"] + 60},
                              remote_id=None if action is Action.CREATE else f"t{i}"))
    drift = tuple(Drift(f"task.stream-{i:03d}.snap[{format_task_stamp(1_700_000_000 + i * 60)}]", "deleted", "gone",
                        "css", f"d{i}") for i in range(300))
    return Plan(changes=tuple(sorted(changes, key=lambda c: c.address)), drift=drift, namespace="big",
                created_at=1_795_564_800)


def test_a_5000_change_plan_fits_a_pr_comment_with_totals_and_every_stream(ws, tmp_path):
    plan = _big_plan()
    path = tmp_path / "big-plan.json"
    save(plan, path)

    result = ws.run("show", str(path), "--format", "markdown")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert len(text) < LIMIT
    counts = plan.counts()
    assert f"{counts['add']} to add, {counts['change']} to change, {counts['destroy']} to destroy" in text
    assert str(len(plan.changes)) in text
    for i in range(200):
        assert f"stream-{i:03d}" in text, i


def test_sandbox_plan_in_markdown(ws):
    result = ws.run("plan", str(ws.root), "--format", "markdown")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "| action | count |" in text and "| `+` create | 5 |" in text
    for stream in ("lobby", "stage"):
        assert f"<summary>{stream} (" in text
    assert len(text) < LIMIT
