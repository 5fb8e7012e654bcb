"""The planner's decisions, one behaviour per test, on hand-built desired/state/remote data.

What we test here: create vs adopt, no perpetual drift for in-progress tasks, update/replace
detection, start/stop, delete vs forget, drift kinds, dependency ordering, targeting, guards,
determinism.
"""

from __future__ import annotations

import pytest

from livesnap_reconcile.errors import GuardError
from livesnap_reconcile.plan.guards import check_guards, select
from livesnap_reconcile.plan.model import Action
from livesnap_reconcile.plan.planner import make_plan
from livesnap_reconcile.resources import DesiredState, ProviderConfig, RemoteObject, Resource
from livesnap_reconcile.state import StateEntry

NOW = 1_800_000_000
PROVIDERS = {
    "ice": ProviderConfig("ice", "alibaba", "cn-shanghai"),
    "css": ProviderConfig("css", "tencent", "ap-guangzhou"),
}
TPL = Resource("template.t", "template", "css", {"name": "ns-t", "interval": 10, "width": 0})
ATPL = Resource("template.a", "template", "ice",
                {"name": "ns-a", "interval": 10, "overwrite_format": None, "sequence_format": "s/{Sequence}.jpg"})


def task(start=NOW + 600, end=NOW + 3600, template=None, addr=None, scheduled=None):
    scheduled = start if scheduled is None else scheduled
    return Resource(addr or f"task.lobby.news[{scheduled}]", "task", "css",
                    {"domain": "d", "app": "live", "stream": "s", "start": start, "end": end,
                     "template": template or {"ref": "template.t"}, "scheduled_start": scheduled},
                    depends_on=("template.t",))


def job(status="started", bucket="b", protect=False):
    return Resource("job.main.snap", "job", "ice",
                    {"name": f"ls/ns/main/snap/{bucket:0>8}", "rtmp_url": "rtmp://x/y", "output": {"bucket": bucket,
                     "endpoint": "oss-cn-shanghai.aliyuncs.com"}, "template": {"ref": "template.a"},
                     "callback_url": None, "status": status}, depends_on=("template.a",), protect=protect)


def desired(*resources, deferred=()):
    return DesiredState("ns", PROVIDERS, tuple(sorted(resources, key=lambda r: r.address)), deferred)


def entry(resource, remote_id, **override):
    attrs = dict(resource.attributes)
    if "template" in attrs and "ref" in attrs["template"]:
        attrs["template"] = {"id": {"template.t": "77", "template.a": "tpl-a"}[attrs["template"]["ref"]]}
    attrs.update(override.pop("attributes", {}))
    return StateEntry(address=resource.address, kind=resource.kind, provider=resource.provider,
                      remote_id=remote_id, attributes=attrs, created_at=NOW - 100, **override)


def remote_of(e, vstatus="", **attrs):
    a = {k: v for k, v in e.attributes.items() if k != "scheduled_start"}
    a.update(attrs)
    return RemoteObject(e.kind, e.provider, e.remote_id, a, status=vstatus)


def actions(plan):
    return [(c.address, c.action) for c in plan.changes]


def test_everything_new_is_created_and_tasks_wait_for_their_template():
    t = task()
    plan = make_plan(desired(TPL, t), {}, [], now=NOW)
    assert actions(plan) == [(t.address, Action.CREATE), (TPL.address, Action.CREATE)]  # sorted by address
    created_task = plan.changes[0]
    assert created_task.depends_on == ("template.t",)
    assert created_task.after["template"] == {"ref": "template.t"}  # known after apply


def test_applied_state_matching_remote_gives_an_empty_plan():
    t = task()
    state = {TPL.address: entry(TPL, "77"), t.address: entry(t, "TASK1")}
    remote = [remote_of(state[TPL.address]), remote_of(state[t.address], vstatus="pending")]
    plan = make_plan(desired(TPL, t), state, remote, now=NOW)
    assert plan.changes == () and plan.drift == ()


def test_in_progress_task_created_mid_window_does_not_drift_when_time_passes():
    scheduled = NOW - 1800
    created = task(start=NOW - 600, scheduled=scheduled)  # created 10 minutes ago, from "now" then
    later = task(start=NOW, scheduled=scheduled)  # re-expanded now: start moved to now, same address
    assert created.address == later.address
    state = {TPL.address: entry(TPL, "77"), created.address: entry(created, "TASK1")}
    remote = [remote_of(state[TPL.address]), remote_of(state[created.address], vstatus="running")]
    assert make_plan(desired(TPL, later), state, remote, now=NOW).changes == ()


def test_after_state_loss_users_of_an_adopted_template_are_adopted_too():
    # The template is adopted in this very plan, so its id is known now: the job and the task
    # that use it must match their existing objects, not be created a second time.
    t, j = task(), job()
    recorded = {r.address: entry(r, rid) for r, rid in ((TPL, "77"), (ATPL, "tpl-a"), (t, "TASK1"), (j, "JOB1"))}
    remote = [remote_of(recorded[TPL.address]), remote_of(recorded[ATPL.address]),
              remote_of(recorded[t.address], vstatus="pending"), remote_of(recorded[j.address], vstatus="started")]
    plan = make_plan(desired(TPL, ATPL, t, j), {}, remote, now=NOW)
    assert sorted(actions(plan)) == sorted((r.address, Action.ADOPT) for r in (TPL, ATPL, t, j))
    assert {c.address: c.remote_id for c in plan.changes} == {
        TPL.address: "77", ATPL.address: "tpl-a", t.address: "TASK1", j.address: "JOB1"}


def test_unrecorded_matching_remote_task_is_adopted_not_duplicated():
    t = task()
    state = {TPL.address: entry(TPL, "77")}
    orphan = RemoteObject("task", "css", "ORPHAN", {"domain": "d", "app": "live", "stream": "s",
                                                      "start": t.attributes["start"], "end": t.attributes["end"],
                                                      "template": {"id": "77"}}, status="pending")
    plan = make_plan(desired(TPL, t), state, [remote_of(state[TPL.address]), orphan], now=NOW)
    assert actions(plan) == [(t.address, Action.ADOPT)]
    assert plan.changes[0].remote_id == "ORPHAN"


def test_stopped_remote_task_is_never_adopted():
    t = task()
    state = {TPL.address: entry(TPL, "77")}
    stopped = RemoteObject("task", "css", "OLD", {"domain": "d", "app": "live", "stream": "s",
                                                  "start": t.attributes["start"], "end": t.attributes["end"],
                                                  "template": {"id": "77"}}, status="stopped")
    plan = make_plan(desired(TPL, t), state, [remote_of(state[TPL.address]), stopped], now=NOW)
    assert actions(plan) == [(t.address, Action.CREATE)]


def test_template_edit_is_an_update_in_place():
    state = {TPL.address: entry(TPL, "77")}
    changed = Resource(TPL.address, "template", "css", {**TPL.attributes, "interval": 20})
    plan = make_plan(desired(changed), state, [remote_of(state[TPL.address])], now=NOW)
    assert actions(plan) == [(TPL.address, Action.UPDATE)]
    assert plan.changes[0].diff == ("interval",)


def test_template_edited_outside_is_drift_and_repaired_by_update():
    state = {TPL.address: entry(TPL, "77")}
    plan = make_plan(desired(TPL), state, [remote_of(state[TPL.address], interval=99)], now=NOW)
    assert [d.what for d in plan.drift] == ["modified"]
    assert actions(plan) == [(TPL.address, Action.UPDATE)]
    assert plan.changes[0].reason == "changed outside livesnap"


def test_moving_a_task_end_replaces_it():
    t = task()
    state = {TPL.address: entry(TPL, "77"), t.address: entry(t, "TASK1")}
    moved = task(end=NOW + 7200)
    remote = [remote_of(state[TPL.address]), remote_of(state[t.address], vstatus="pending")]
    plan = make_plan(desired(TPL, moved), state, remote, now=NOW)
    assert actions(plan) == [(t.address, Action.REPLACE)]
    assert plan.changes[0].forces_replacement == ("end",)


def test_task_stopped_outside_while_open_is_drift_and_replaced():
    t = task(start=NOW - 60, scheduled=NOW - 60)
    state = {TPL.address: entry(TPL, "77"), t.address: entry(t, "TASK1")}
    remote = [remote_of(state[TPL.address]), remote_of(state[t.address], vstatus="stopped")]
    plan = make_plan(desired(TPL, t), state, remote, now=NOW)
    assert [d.what for d in plan.drift] == ["stopped"]
    assert actions(plan) == [(t.address, Action.REPLACE)]


def test_task_deleted_outside_is_drift_and_created_again():
    t = task()
    state = {TPL.address: entry(TPL, "77"), t.address: entry(t, "TASK1")}
    plan = make_plan(desired(TPL, t), state, [remote_of(state[TPL.address])], now=NOW)
    assert [(d.address, d.what) for d in plan.drift] == [(t.address, "deleted")]
    assert actions(plan) == [(t.address, Action.CREATE)]


def test_ended_task_is_forgotten_without_vendor_call():
    t = task(start=NOW - 7200, end=NOW - 60)
    state = {t.address: entry(t, "TASK1")}
    plan = make_plan(desired(), state, [remote_of(state[t.address], vstatus="finished")], now=NOW)
    assert actions(plan) == [(t.address, Action.FORGET)]
    assert not plan.changes[0].action.writes_vendor
    assert plan.drift == ()


def test_removed_job_is_stopped_and_removed_paused_job_forgotten():
    j = job()
    state = {ATPL.address: entry(ATPL, "tpl-a"), j.address: entry(j, "J1")}
    running = [remote_of(state[ATPL.address]), remote_of(state[j.address], vstatus="started")]
    assert actions(make_plan(desired(ATPL), state, running, now=NOW)) == [(j.address, Action.DELETE)]
    paused = [remote_of(state[ATPL.address]), remote_of(state[j.address], vstatus="paused", status="paused")]
    assert actions(make_plan(desired(ATPL), state, paused, now=NOW)) == [(j.address, Action.FORGET)]


def test_job_paused_outside_is_drift_and_started_again():
    j = job()
    state = {ATPL.address: entry(ATPL, "tpl-a"), j.address: entry(j, "J1")}
    remote = [remote_of(state[ATPL.address]), remote_of(state[j.address], vstatus="paused", status="paused")]
    plan = make_plan(desired(ATPL, j), state, remote, now=NOW)
    assert [d.what for d in plan.drift] == ["paused"]
    assert actions(plan) == [(j.address, Action.START)]


def test_schedule_driven_pause_is_a_stop():
    j = job()
    state = {ATPL.address: entry(ATPL, "tpl-a"), j.address: entry(j, "J1")}
    remote = [remote_of(state[ATPL.address]), remote_of(state[j.address], vstatus="started")]
    plan = make_plan(desired(ATPL, job(status="paused")), state, remote, now=NOW)
    assert actions(plan) == [(j.address, Action.STOP)]


def test_job_output_change_replaces_it():
    j = job()
    state = {ATPL.address: entry(ATPL, "tpl-a"), j.address: entry(j, "J1")}
    remote = [remote_of(state[ATPL.address]), remote_of(state[j.address], vstatus="started")]
    plan = make_plan(desired(ATPL, job(bucket="other")), state, remote, now=NOW)
    assert actions(plan) == [(j.address, Action.REPLACE)]
    assert "output.bucket" in plan.changes[0].forces_replacement


def test_a_job_name_alone_never_replaces_it_but_a_real_difference_still_does():
    j = job()
    state = {ATPL.address: entry(ATPL, "tpl-a"), j.address: entry(j, "J1", attributes={"name": "made in console"})}
    remote = [remote_of(state[ATPL.address]), remote_of(state[j.address], vstatus="started")]
    assert actions(make_plan(desired(ATPL, j), state, remote, now=NOW)) == []  # ICE cannot rename
    plan = make_plan(desired(ATPL, job(bucket="other")), state, remote, now=NOW)
    assert actions(plan) == [(j.address, Action.REPLACE)]
    assert plan.changes[0].forces_replacement == ("output.bucket",)


def test_template_delete_waits_for_deletes_of_its_users():
    t = task()
    state = {TPL.address: entry(TPL, "77"), t.address: entry(t, "TASK1")}
    remote = [remote_of(state[TPL.address]), remote_of(state[t.address], vstatus="pending")]
    plan = make_plan(desired(), state, remote, now=NOW)
    by = {c.address: c for c in plan.changes}
    assert by[TPL.address].action is Action.DELETE
    assert by[TPL.address].depends_on == (t.address,)


def test_unmanaged_objects_are_never_touched_but_namespaced_ones_are_reported():
    stranger = RemoteObject("template", "css", "5", {"name": "other-team", "interval": 10})
    ours = RemoteObject("template", "css", "6", {"name": "ns-leftover", "interval": 10})
    plan = make_plan(desired(), {}, [stranger, ours], now=NOW)
    assert plan.changes == ()
    assert [d.remote_id for d in plan.drift if d.what == "unexpected"] == ["6"]


def test_no_refresh_trusts_state():
    t = task()
    state = {TPL.address: entry(TPL, "77"), t.address: entry(t, "TASK1")}
    plan = make_plan(desired(TPL, t), state, None, now=NOW)
    assert plan.changes == () and plan.drift == ()


def test_target_keeps_dependencies():
    t = task()
    plan = make_plan(desired(TPL, t, job(), ATPL), {}, [], now=NOW)
    chosen = select(plan, targets=["task.lobby"])
    assert [c.address for c in chosen.changes] == [t.address, TPL.address]
    assert [c.address for c in select(plan, excludes=["task", "job"]).changes] == [ATPL.address, TPL.address]


def test_protected_object_cannot_be_deleted_even_when_its_block_is_gone():
    j = job(protect=True)
    state = {ATPL.address: entry(ATPL, "tpl-a"), j.address: entry(j, "J1", protect=True)}
    remote = [remote_of(state[ATPL.address]), remote_of(state[j.address], vstatus="started")]
    plan = make_plan(desired(ATPL), state, remote, now=NOW)
    with pytest.raises(GuardError, match="job.main.snap is protected"):
        check_guards(plan, set(plan.protected))


def test_planning_is_deterministic():
    resources = [TPL, ATPL, job()] + [task(start=NOW + 600 + i * 7200, end=NOW + 3600 + i * 7200) for i in range(5)]
    a = make_plan(desired(*resources), {}, [], now=NOW).to_dict()
    b = make_plan(desired(*reversed(resources)), {}, [], now=NOW).to_dict()
    assert a == b


def test_every_change_says_why_in_a_closed_code():
    t, j = task(), job()
    state = {TPL.address: entry(TPL, "77"), ATPL.address: entry(ATPL, "tpl-a"), t.address: entry(t, "TASK1"),
             j.address: entry(j, "JOB1", attributes={"status": "paused"})}
    remote = [remote_of(state[TPL.address]), remote_of(state[ATPL.address], interval=30),
              remote_of(state[j.address], vstatus="paused")]  # the task is gone
    ended = task(start=NOW - 7200, end=NOW - 3600, addr="task.lobby.news[old]")
    state[ended.address] = entry(ended, "TASK0")
    plan = make_plan(desired(TPL, ATPL, t, j), state, remote, now=NOW)
    codes = {(c.address, c.action): c.reason_code.value for c in plan.changes}
    assert codes == {
        (t.address, Action.CREATE): "deleted_outside",
        (ATPL.address, Action.UPDATE): "changed_outside",
        (j.address, Action.START): "desired_status",
        (ended.address, Action.FORGET): "occurrence_ended",
    }
    assert all(c.to_dict()["reason_code"] == c.reason_code.value for c in plan.changes)


def test_the_plan_schema_lists_exactly_the_reason_codes():
    import json
    from pathlib import Path

    from livesnap_reconcile.core.reasons import Reason

    schema = json.loads((Path(__file__).parents[2] / "schemas" / "plan.schema.json").read_text())
    assert schema["$defs"]["change"]["properties"]["reason_code"]["enum"] == [r.value for r in Reason]
