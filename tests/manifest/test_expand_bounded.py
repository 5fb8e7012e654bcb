"""Expansion is bounded by what lies inside the vendor horizon, not by window length or schedule span.

What we test here:
- a window to the year 9999 builds a handful of tasks and at most `DEFERRED_LISTED` deferred items;
  the rest are counted in the summary (count, first, last), which the plan document, its schema and
  every renderer carry;
- the same for a schedule without ``until`` whose occurrences last for years;
- the documented bound on desired objects per plan is a clear `ManifestError`;
- for random valid manifests (hypothesis), the objects built grow with those inside the horizon.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livesnap_reconcile.core.expansion import DEFERRED_LISTED
from livesnap_reconcile.errors import ManifestError
from livesnap_reconcile.manifest import expand as expand_module
from livesnap_reconcile.manifest.expand import expand
from livesnap_reconcile.plan.model import Plan
from livesnap_reconcile.plan.planner import make_plan
from livesnap_reconcile.plan.render_json import render_json, validate_plan_document
from livesnap_reconcile.plan.render_markdown import render_markdown
from livesnap_reconcile.plan.render_text import render_summary, render_text
from livesnap_reconcile.vendors.tencent.expand import TASK_END_HORIZON, TASK_START_HORIZON
from tests.manifest.expand_support import DAY, HOUR, NOW, manifest, tencent, ts, window

END_OF_TIME = ts("9999-12-31T23:59:59+00:00")
HORIZON_PARTS = 9  # ≤ 24 h parts (a minute short, even) inside the 7-day horizon (one may be in progress)


def _to_9999(start: int) -> dict[str, str]:
    return {**window(start, start + 1), "end": "9999-12-31T23:59:59Z"}


def _plan(data: dict, now: int = NOW) -> Plan:
    return make_plan(expand(data, now=now), {}, [], now=now)


def _built(state) -> int:
    return len(state.resources) + len(state.deferred)


def test_window_to_9999_builds_the_horizon_and_counts_the_rest():
    data = manifest(streams={"lobby": tencent({"w": {"template": "thumbs", "window": _to_9999(NOW)}})})
    state = expand(data, now=NOW)
    tasks = [r for r in state.resources if r.kind == "task"]
    assert 1 <= len(tasks) <= HORIZON_PARTS and len(state.deferred) == DEFERRED_LISTED
    length = DAY
    total_parts = -(-(END_OF_TIME - NOW) // length)
    assert state.deferred_summary is not None
    assert state.deferred_summary.count == total_parts - len(tasks)
    assert state.deferred_summary.first == min(d.not_before for d in state.deferred)
    last_start = NOW + (total_parts - 1) * length
    assert state.deferred_summary.last == max(last_start - TASK_START_HORIZON, END_OF_TIME - TASK_END_HORIZON + 1)
    assert state.next_change_at is not None and state.next_change_at < NOW + DAY


def test_the_summary_survives_the_plan_document_and_every_renderer():
    data = manifest(streams={"lobby": tencent({"w": {"template": "thumbs", "window": _to_9999(NOW)}})})
    plan = _plan(data)
    document = json.loads(render_json(plan))
    validate_plan_document(document)
    assert len(document["deferred"]) == DEFERRED_LISTED
    count = document["deferred_summary"]["count"]
    assert Plan.from_dict(document).deferred_count == count > 2_900_000
    for text in (render_text(plan, now=NOW), render_summary(plan, now=NOW), render_markdown(plan)):
        assert f"{count:,}" in text or str(count) in text
    assert f"### Deferred ({count})" in render_markdown(plan)


def test_schedule_without_until_lasting_years_is_counted_not_built():
    schedule = {"start": "10:00", "duration": f"{200_000}h", "timezone": "Asia/Shanghai"}
    data = manifest(streams={"lobby": tencent({"s": {"template": "thumbs", "schedule": schedule}})})
    state = expand(data, now=NOW)
    assert _built(state) <= 15 * HORIZON_PARTS + DEFERRED_LISTED
    assert state.deferred_summary is not None and state.deferred_summary.count > 8_000


def test_more_desired_objects_than_the_bound_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(expand_module, "MAX_DESIRED_OBJECTS", 5)
    snapshots = {f"w{i}": {"template": "thumbs", "window": window(NOW + i * HOUR, NOW + (i + 1) * HOUR)}
                 for i in range(6)}
    with pytest.raises(ManifestError, match=r"more than 5 desired objects .*streams\.lobby.*limit per plan"):
        expand(manifest(streams={"lobby": tencent(snapshots)}), now=NOW)


@st.composite
def snapshot_specs(draw) -> dict:
    if draw(st.booleans()):
        start = NOW + draw(st.integers(-3 * DAY, 10 * DAY))
        length = draw(st.sampled_from([HOUR, 3 * DAY, 400 * DAY, None]))
        return {"template": "thumbs", "window": _to_9999(start) if length is None else window(start, start + length)}
    hours = draw(st.sampled_from([1, 30, 24 * 365, 24 * 365 * 500]))
    schedule = {"start": f"{draw(st.integers(0, 23)):02d}:00", "duration": f"{hours}h",
                "days": draw(st.lists(st.sampled_from(["mon", "wed", "sun"]), min_size=1, unique=True))}
    return {"template": "thumbs", "schedule": schedule}


@settings(max_examples=40, deadline=None)
@given(specs=st.lists(snapshot_specs(), min_size=1, max_size=4))
def test_objects_built_grow_with_the_horizon_not_with_span(specs):
    data = manifest(streams={"lobby": tencent({f"s{i}": spec for i, spec in enumerate(specs)})})
    state = expand(data, now=NOW)
    inside = len(state.resources)
    # Each snapshot has at most 15 occurrences in the 14-day listing, each ≤ 8 parts in the horizon.
    assert inside <= len(specs) * 15 * HORIZON_PARTS
    assert len(state.deferred) <= DEFERRED_LISTED
    assert _built(state) <= inside + DEFERRED_LISTED
