"""`plan --summary` and `livesnap drift` text: grouping, one line per item, verdicts.

What we test here: the summary is one line per address and action grouped by stream with
templates first and no attribute detail, then the totals; the drift view says "No drift" when in
sync, otherwise groups items by what changed (deleted, stopped/paused, modified with
old -> new, unexpected objects carrying our namespace) and ends with the count.
"""

from livesnap_reconcile.plan.model import Action
from livesnap_reconcile.plan.render_text import render_drift, render_summary
from tests.plan.factories import (
    T0,
    change,
    create_task,
    drift,
    job_attrs,
    plan,
    task_address,
    task_attrs,
    tencent_template_attrs,
)


def summary_plan():
    return plan(
        create_task("zoo", "thumbs"),
        create_task("alpha", "thumbs", T0 + 3600),
        create_task("alpha", "thumbs", T0),
        change("template.thumbs", Action.UPDATE, before=tencent_template_attrs(), after=tencent_template_attrs(interval=5)),
        change("job.mid.thumbs", Action.STOP, before=job_attrs(), after=job_attrs(status="paused")),
    )


def test_summary_groups_by_stream_templates_first():
    lines = render_summary(summary_plan()).split("\n")
    headers = [line for line in lines if line.endswith(":")]
    assert headers == ["Snapshot templates (1 change):", "Stream alpha (2 changes):",
                       "Stream mid (1 change):", "Stream zoo (1 change):"]


def test_summary_is_one_line_per_change_without_attributes():
    text = render_summary(summary_plan())
    assert "  + create  task.alpha.thumbs[2026-11-25T11:00Z]\n  + create  task.alpha.thumbs[2026-11-25T12:00Z]" in text
    assert "  ~ stop    job.mid.thumbs" in text
    assert "  ~ update  template.thumbs" in text
    assert "interval" not in text and "{" not in text
    assert sum(1 for line in text.split("\n") if line.startswith("  ")) == 5


def test_summary_ends_with_the_totals():
    assert render_summary(summary_plan()).rstrip("\n").endswith("Plan: 3 to add, 2 to change, 0 to destroy.")
    assert render_summary(plan()).strip() == "No changes. Remote snapshot jobs match the manifest."


def test_summary_mentions_drift_count():
    text = render_summary(plan(create_task(), drift=(drift("job.a.b", "paused"),)))
    assert "1 object changed outside livesnap" in text


def test_no_drift_verdict():
    assert render_drift(plan(create_task())) == "No drift: remote objects match the state.\n"


def drift_plan():
    return plan(drift=(
        drift(task_address("lobby", "b"), "deleted", remote_id="11", detail="task 11 no longer exists"),
        drift(task_address("lobby", "a"), "stopped", remote_id="12"),
        drift("job.main.thumbs", "paused", remote_id="j-1", provider="ali"),
        drift("template.thumbs", "modified", remote_id="t-1",
              before=tencent_template_attrs(interval=10), after=tencent_template_attrs(interval=30)),
        drift("job:j-9", "unexpected", remote_id="j-9", provider="ali"),
    ))


def test_drift_is_grouped_by_what_changed_in_a_fixed_order():
    text = render_drift(drift_plan())
    titles = ["Deleted (1):", "Stopped or paused (2):", "Modified (1):",
              'Unexpected objects carrying namespace "demo" (1):']
    positions = [text.index(t) for t in titles]
    assert positions == sorted(positions)


def test_drift_lines_name_address_id_and_detail():
    text = render_drift(drift_plan())
    assert f"  - {task_address('lobby', 'b')} (id 11) has been deleted: task 11 no longer exists" in text
    assert "  ~ job.main.thumbs (id j-1) has been paused" in text
    stopped = text.index(task_address("lobby", "a"))
    assert text.index("job.main.thumbs") < stopped  # sorted by address within a group


def test_modified_drift_lists_old_and_new_values():
    assert "      interval: 10 -> 30" in render_drift(drift_plan())


def test_drift_verdict_counts_objects():
    assert render_drift(drift_plan()).rstrip("\n").split("\n")[-1] == "5 objects changed outside livesnap."


def test_drift_colour_only_when_asked():
    assert "\x1b" not in render_drift(drift_plan())
    assert "\x1b[31m-\x1b[0m" in render_drift(drift_plan(), color=True)


def test_task_times_in_drift_values_are_iso():
    d = drift(task_address(), "modified", before=task_attrs(), after=task_attrs(end=T0 + 7200))
    assert 'end: "2026-11-25T12:00:00Z" -> "2026-11-25T13:00:00Z"' in render_drift(plan(drift=(d,)))
