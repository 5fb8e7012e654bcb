"""The Terraform-like text plan: one test per action, per section, colour and ordering.

What we test here: each action's header line and symbol block; attribute drawing (ISO times,
"(known after apply)", `old -> new`, `# forces replacement`, hidden counts); the drift section
coming first; deferred and next-change sentences; the totals line; colour only when asked;
sorting and that a saved plan (JSON round trip) renders exactly like the in-memory one.
"""

import json
import re

import pytest

from livesnap_reconcile.plan.model import Action, Plan
from livesnap_reconcile.plan.render_json import render_json
from livesnap_reconcile.plan.render_text import HEADER, render_text
from tests.plan.factories import (
    HOUR,
    T0,
    change,
    create_task,
    deferred,
    drift,
    job_attrs,
    plan,
    task_address,
    task_attrs,
    tencent_template_attrs,
)

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def block_of(text: str, address: str) -> str:
    """The lines from ``# <address>`` to the closing brace of its block."""
    start = text.index(f"  # {address} ")
    return text[start : text.index("\n    }", start) + 6]


def test_create_shows_every_attribute_with_iso_times_and_unknown_id():
    text = render_text(plan(create_task()))
    block = block_of(text, task_address())
    assert f"  # {task_address()} will be created" in block
    assert f"  + {task_address()} {{" in block
    assert '+ start    = "2026-11-25T11:00:00Z"' in block
    assert '+ end      = "2026-11-25T12:00:00Z"' in block
    assert "+ id       = (known after apply)" in block
    assert str(T0) not in block  # no raw Unix seconds


def test_template_created_in_same_plan_is_known_after_apply():
    c = create_task(after=task_attrs(template={"ref": "template.thumbs"}))
    assert "+ template = (known after apply)" in render_text(plan(c))


def test_update_shows_only_changed_attributes_old_to_new():
    c = change("template.thumbs", Action.UPDATE, before=tencent_template_attrs(interval=10),
               after=tencent_template_attrs(interval=30), diff=("interval",), reason="manifest changed")
    block = block_of(render_text(plan(c)), "template.thumbs")
    assert "  # template.thumbs will be updated in place\n  # (manifest changed)" in block
    assert "  ~ template.thumbs {" in block
    assert "~ interval = 10 -> 30" in block
    assert "cos_bucket" not in block
    assert "# (10 unchanged attributes hidden)" in block


def test_update_without_planner_diff_compares_attributes_itself():
    c = change("template.thumbs", Action.UPDATE, before=tencent_template_attrs(interval=10),
               after=tencent_template_attrs(interval=20))
    assert "~ interval = 10 -> 20" in render_text(plan(c))


def test_replace_marks_the_forcing_attribute_and_the_new_id():
    c = change("job.main.thumbs", Action.REPLACE, before=job_attrs(bucket="a"), after=job_attrs(bucket="b"),
               diff=("output.bucket",), forces_replacement=("output.bucket",), remote_id="job-1")
    block = block_of(render_text(plan(c)), "job.main.thumbs")
    assert "  # job.main.thumbs must be replaced" in block
    assert "-/+ job.main.thumbs {" in block
    assert '~ id     = "job-1" -> (known after apply)' in block
    assert '~ bucket = "a" -> "b" # forces replacement' in block
    assert "endpoint" not in block


def test_replace_marker_accepts_deepdiff_paths():
    c = change(task_address(), Action.REPLACE, before=task_attrs(), after=task_attrs(end=T0 + 2 * HOUR),
               diff=("root['end']",), forces_replacement=("root['end']",))
    assert '~ end = "2026-11-25T12:00:00Z" -> "2026-11-25T13:00:00Z" # forces replacement' in \
        render_text(plan(c))


def test_delete_of_a_task_lists_what_goes():
    c = change(task_address(), Action.DELETE, before=task_attrs(), remote_id="77")
    block = block_of(render_text(plan(c)), task_address())
    assert f"  # {task_address()} will be deleted" in block
    assert f"  - {task_address()} {{" in block
    assert 'id       = "77"' in block
    assert '- stream   = "lobby"' in block


def test_delete_of_an_alibaba_job_says_it_is_stopped():
    c = change("job.main.thumbs", Action.DELETE, before=job_attrs())
    assert "  # job.main.thumbs will be stopped (ICE has no delete)" in render_text(plan(c))


@pytest.mark.parametrize(("action", "old", "new", "word"), [
    (Action.START, "paused", "started", "started"),
    (Action.STOP, "started", "paused", "stopped"),
])
def test_start_and_stop_show_the_status_change(action, old, new, word):
    c = change("job.main.thumbs", action, before=job_attrs(status=old), after=job_attrs(status=new),
               diff=("status",))
    block = block_of(render_text(plan(c)), "job.main.thumbs")
    assert f"  # job.main.thumbs will be {word}" in block
    assert f'~ status = "{old}" -> "{new}"' in block


def test_adopt_records_without_vendor_write():
    c = change(task_address(), Action.ADOPT, after=task_attrs(), remote_id="88")
    block = block_of(render_text(plan(c)), task_address())
    assert "will be adopted (already exists remotely; recorded in state, no vendor write but a start or stop to its desired status)" in block
    assert f" <= {task_address()} {{" in block
    assert 'id       = "88"' in block


def test_forget_says_no_vendor_call():
    c = change(task_address(), Action.FORGET, before=task_attrs(), reason="window ended")
    block = block_of(render_text(plan(c)), task_address())
    assert "will be forgotten (no vendor call)\n  # (window ended)" in block
    assert f"  x {task_address()} {{" in block
    assert "# (6 attributes hidden)" in block


def test_changes_are_sorted_by_address_whatever_the_input_order():
    late, early = create_task(start=T0 + HOUR), create_task(start=T0)
    text = render_text(plan(late, early, change("job.a.b", Action.STOP, before=job_attrs(),
                                                after=job_attrs(status="paused"))))
    positions = [text.index(f"  # {a} ") for a in ("job.a.b", early.address, late.address)]
    assert positions == sorted(positions)


def test_totals_line_is_last_and_counts_replace_twice():
    p = plan(create_task(), change("template.t", Action.REPLACE, before={"name": "a"}, after={"name": "b"}),
             change(task_address(snapshot="x"), Action.ADOPT, after=task_attrs()))
    last = render_text(p).rstrip("\n").split("\n")[-1]
    assert last == "Plan: 2 to add, 0 to change, 1 to destroy. 1 to adopt."


def test_no_changes_line():
    text = render_text(plan())
    assert text.rstrip("\n").split("\n")[-1] == "No changes. Remote snapshot jobs match the manifest."
    assert HEADER not in text


def test_drift_section_comes_before_the_actions():
    p = plan(create_task(), drift=(drift(task_address(), "deleted", detail="gone", remote_id="5"),))
    text = render_text(p)
    assert text.startswith("Objects changed outside livesnap:")
    assert f"  # {task_address()} has been deleted (id 5)\n  # (gone)" in text
    assert text.index("has been deleted") < text.index(HEADER)


def test_modified_drift_shows_the_attribute_that_changed_outside():
    d = drift("template.thumbs", "modified", before=tencent_template_attrs(interval=10),
              after=tencent_template_attrs(interval=5))
    assert "~ interval = 10 -> 5" in render_text(plan(drift=(d,)))


def test_deferred_summary_names_the_next_occurrence():
    far = task_address(start=T0 + 9 * 86400)
    p = plan(deferred=(deferred(task_address(start=T0 + 8 * 86400), T0 + 8 * 86400),
                       deferred(far, T0 + 9 * 86400)))
    text = render_text(p)
    assert ("2 occurrences are beyond the vendor's 7-day horizon and will be created by a later run "
            f"(next: {task_address(start=T0 + 8 * 86400)} at 2026-11-27T11:00:00Z).") in text


def test_next_change_at_with_relative_time_when_now_is_given():
    p = plan(next_change_at=T0 + HOUR)
    assert "Desired state next changes at 2026-11-25T12:00:00Z; run apply again then." in render_text(p)
    relative = render_text(p, now=T0 - 5 * 60)
    assert "at 2026-11-25T12:00:00Z (in 1h 5m); run apply again then." in relative


def test_colour_only_when_asked():
    p = plan(create_task(), change(task_address(snapshot="old"), Action.DELETE, before=task_attrs()),
             change(task_address(snapshot="adopted"), Action.ADOPT, after=task_attrs()))
    plain, coloured = render_text(p), render_text(p, color=True)
    assert "\x1b" not in plain
    assert "\x1b[32m+\x1b[0m" in coloured
    assert "\x1b[31m-\x1b[0m" in coloured
    assert "\x1b[36m<=\x1b[0m" in coloured
    assert ANSI.sub("", coloured) == plain


def test_a_saved_plan_renders_exactly_like_the_live_one():
    p = plan(create_task(), change("job.main.thumbs", Action.REPLACE, before=job_attrs(bucket="a"),
                                   after=job_attrs(bucket="b"), forces_replacement=("output.bucket",)),
             drift=(drift("job.main.thumbs", "paused"),), next_change_at=T0)
    reloaded = Plan.from_dict(json.loads(render_json(p)))
    assert render_text(reloaded) == render_text(p)


def test_attribute_order_does_not_change_the_output():
    attrs = task_attrs()
    shuffled = dict(reversed(list(attrs.items())))
    a = render_text(plan(create_task(after=attrs)))
    b = render_text(plan(create_task(after=shuffled)))
    assert a == b


def test_times_already_passed_read_as_ago():
    text = render_text(plan(next_change_at=T0), now=T0 + 2 * 86400 + 3 * HOUR + 7)
    assert "at 2026-11-25T11:00:00Z (2d 3h ago)" in text


def test_unexpected_objects_are_named_in_the_drift_section():
    d = drift("job:j-9", "unexpected", remote_id="j-9", detail="job ls/demo/x carries our namespace")
    text = render_text(plan(drift=(d,)))
    assert "  # job:j-9 exists remotely but is not in state (id j-9)" in text
    assert text.rstrip("\n").endswith("No changes. Remote snapshot jobs match the manifest.")
