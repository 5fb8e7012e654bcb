"""Markdown PR comments: layout, escaping, and staying under the comment limit.

What we test here: title with totals, table by action, per-stream `<details>` with a `diff`
fence (templates first), drift and deferred sections; remote text cannot inject HTML or close
a fence; the degradation steps (full -> summary -> truncated "… and N more") keep the totals
and a line for every stream; a 5,000-change plan over 200 streams fits in 65,000 characters.
"""

import re

from livesnap_reconcile.plan.model import Action
from livesnap_reconcile.plan.render_markdown import render_drift_markdown, render_markdown
from tests.plan.factories import (
    T0,
    big_plan,
    change,
    create_task,
    deferred,
    drift,
    job_attrs,
    plan,
    task_address,
    tencent_template_attrs,
)

NOTE = "Report truncated to fit a PR comment; run `livesnap show plan.json` for the full plan."


def small_plan():
    return plan(
        create_task("lobby", "news"),
        create_task("hall", "news"),
        change("template.thumbs", Action.UPDATE, before=tencent_template_attrs(),
               after=tencent_template_attrs(interval=20)),
        change("job.main.thumbs", Action.DELETE, before=job_attrs()),
        drift=(drift("job.main.thumbs", "paused", remote_id="j-1"),),
        deferred=(deferred(task_address(start=T0 + 8 * 86400), T0 + 8 * 86400),),
        next_change_at=T0 + 600,
    )


def summaries(text):
    return re.findall(r"<details><summary>(.*?)</summary>", text)


def test_title_and_table_carry_the_totals():
    text = render_markdown(small_plan())
    assert text.startswith("## livesnap plan for `demo`: 2 to add, 1 to change, 1 to destroy\n")
    assert "| `+` create | 2 |" in text
    assert "| `~` update | 1 |" in text
    assert "| `-` delete | 1 |" in text
    assert "| **total** | **4** |" in text
    assert "start" not in text.split("### Changes by stream")[0]


def test_one_details_per_stream_with_templates_first():
    assert summaries(render_markdown(small_plan())) == [
        "snapshot templates (1 change)", "hall (1 change)", "lobby (1 change)", "main (1 change)"]


def test_details_hold_a_diff_fence_with_symbols_in_column_zero():
    text = render_markdown(small_plan())
    assert "```diff\n" in text
    assert f"+   {task_address('lobby', 'news')} {{" in text
    assert "!       interval = 10 -> 20" in text  # `~` shown as `!` so GitHub colours it
    assert "-   job.main.thumbs {" in text
    assert NOTE not in text


def test_drift_deferred_and_next_change_sections():
    text = render_markdown(small_plan())
    assert "### Changed outside livesnap (1)" in text
    assert "- `job.main.thumbs` (id `j-1`) has been paused" in text
    assert "### Deferred (1)" in text
    assert f"| `{task_address(start=T0 + 8 * 86400)}` | 2026-12-03T11:00:00Z |" in text
    assert "Desired state next changes at 2026-11-25T11:10:00Z" in text
    assert text.index("Changed outside") < text.index("<details>") < text.index("### Deferred")


def test_no_changes_report():
    text = render_markdown(plan())
    assert text.startswith("## livesnap plan for `demo`: no changes")
    assert "No changes. Remote snapshot jobs match the manifest." in text
    assert "<details>" not in text


def test_remote_text_cannot_inject_html_or_close_the_fence():
    d = drift("template.thumbs", "modified", detail="<script>x</script>",
              before={"description": "a"}, after={"description": "```\n<b>"})
    c = change("template.thumbs", Action.UPDATE, before={"description": "a"}, after={"description": "``` x"})
    text = render_markdown(plan(c, drift=(d,)))
    assert "<script>" not in text and "&lt;script&gt;" in text
    fence_open = re.search(r"^(`{3,})diff$", text, re.M)
    assert fence_open and len(fence_open.group(1)) > 3  # longer than the backticks inside


def test_falls_back_to_summary_lines_when_details_do_not_fit():
    p = plan(*[create_task("lobby", "news", T0 + i * 3600) for i in range(40)])
    full = render_markdown(p, limit=10**6)
    assert "+   create  " not in full
    text = render_markdown(p, limit=len(full) - 1)
    assert len(text) <= len(full) - 1
    assert "Attribute details omitted" in text
    assert text.count("+   create  task.lobby.news[") == 40


def test_truncates_per_stream_but_keeps_every_stream():
    p = big_plan(12, 30)
    text = render_markdown(p, limit=6000)
    assert len(text) <= 6000
    assert NOTE in text
    assert "360 to add" in text
    assert summaries(text) == [f"stream-{i:03d} (30 changes)" for i in range(12)]
    kept = text.count("+   create  task.")
    assert 0 < kept < 360
    assert f"… and {30 - kept // 12} more" in text


def test_five_thousand_changes_over_two_hundred_streams_fit_a_pr_comment():
    p = big_plan(200, 25)
    text = render_markdown(p)
    assert len(text) < 65_000
    assert "5000 to add, 0 to change, 0 to destroy" in text
    assert "| **total** | **5000** |" in text
    assert NOTE in text
    assert len(summaries(text)) == 200
    for i in range(200):
        assert f"<summary>stream-{i:03d} (25 changes)</summary>" in text


def test_tiny_limit_still_lists_totals_and_streams_compactly():
    text = render_markdown(big_plan(30, 5), limit=1200)
    assert len(text) <= 1200
    assert "150 to add" in text
    assert all(f"stream-{i:03d} (5)" in text for i in range(30))


def test_rendering_is_deterministic():
    assert render_markdown(big_plan(5, 5), limit=3000) == render_markdown(big_plan(5, 5), limit=3000)


def test_drift_markdown_in_sync_and_with_drift():
    assert "No drift: remote objects match the state." in render_drift_markdown(plan())
    d = drift("template.thumbs", "modified", remote_id="t1",
              before=tencent_template_attrs(interval=1), after=tencent_template_attrs(interval=2))
    text = render_drift_markdown(plan(drift=(d, drift("job.a.b", "paused"))))
    assert text.startswith("## livesnap drift: 2 objects changed outside livesnap\n")
    assert "### Modified (1)" in text and "### Stopped or paused (1)" in text
    assert "  - `interval: 1 -> 2`" in text
    assert text.rstrip().endswith("2 objects changed outside livesnap.")


def test_drift_markdown_truncates_to_the_limit():
    items = tuple(drift(task_address("s", "x", T0 + i * 3600), "deleted", detail="gone") for i in range(300))
    text = render_drift_markdown(plan(drift=items), limit=4000)
    assert len(text) <= 4000
    assert NOTE in text and "more" in text
    assert "300 objects changed outside livesnap." in text
