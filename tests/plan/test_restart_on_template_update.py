"""A template update reaches running ICE jobs through a planned, visible `restart`.

What we test here: a started job whose template the plan updates gets a `restart` that depends on
the update and says why (reason code `template_updated`); paused jobs, jobs with a change of
their own, and Tencent tasks get none; `--target` on the template keeps its restarts; the
renderers show the restart; a saved plan of the previous format is refused.
"""

from __future__ import annotations

import json

import pytest

from livesnap_reconcile.core.reasons import Reason
from livesnap_reconcile.errors import PlanFileError
from livesnap_reconcile.plan import planfile
from livesnap_reconcile.plan.guards import select
from livesnap_reconcile.plan.model import Action
from livesnap_reconcile.plan.planner import make_plan
from livesnap_reconcile.plan.render_json import validate_plan_document
from livesnap_reconcile.plan.render_markdown import render_markdown
from livesnap_reconcile.plan.render_text import render_summary, render_text
from livesnap_reconcile.resources import Resource
from tests.plan.test_planner import ATPL, NOW, TPL, actions, desired, entry, job, remote_of, task

FASTER = Resource(ATPL.address, "template", "ice", {**ATPL.attributes, "interval": 5})


def _plan(job_status="started", remote_status="started", desired_job=None, refresh=True):
    j = job(status=job_status)
    state = {ATPL.address: entry(ATPL, "tpl-a"), j.address: entry(j, "J1")}
    remote = [remote_of(state[ATPL.address]),
              remote_of(state[j.address], vstatus=remote_status,
                        status="started" if remote_status == "started" else "paused")] if refresh else None
    return make_plan(desired(FASTER, desired_job or j), state, remote, now=NOW)


def test_a_running_job_is_restarted_after_its_template_is_updated():
    plan = _plan()
    assert actions(plan) == [("job.main.snap", Action.RESTART), (ATPL.address, Action.UPDATE)]
    restart = plan.changes[0]
    assert restart.depends_on == (ATPL.address,) and restart.remote_id == "J1"
    assert restart.reason_code is Reason.TEMPLATE_UPDATED and "restarted" in restart.reason
    assert plan.counts()["change"] == 2


def test_without_refresh_the_recorded_status_decides():
    assert ("job.main.snap", Action.RESTART) in actions(_plan(refresh=False))


def test_paused_jobs_and_jobs_with_their_own_change_are_not_restarted():
    assert actions(_plan(job_status="paused", remote_status="paused")) == [(ATPL.address, Action.UPDATE)]
    # paused outside: the start it gets takes the new template, no restart on top
    assert actions(_plan(remote_status="paused")) == [("job.main.snap", Action.START), (ATPL.address, Action.UPDATE)]
    stopping = _plan(desired_job=job(status="paused"))
    assert actions(stopping) == [("job.main.snap", Action.STOP), (ATPL.address, Action.UPDATE)]


def test_tencent_tasks_take_a_template_update_without_a_restart():
    t = task()
    state = {TPL.address: entry(TPL, "77"), t.address: entry(t, "TASK1")}
    remote = [remote_of(state[TPL.address]), remote_of(state[t.address], vstatus="running")]
    changed = Resource(TPL.address, "template", "css", {**TPL.attributes, "interval": 20})
    plan = make_plan(desired(changed, t), state, remote, now=NOW + 700)
    assert actions(plan) == [(TPL.address, Action.UPDATE)]


def test_targeting_the_template_keeps_its_restarts_unless_excluded():
    plan = _plan()
    assert [c.action for c in select(plan, targets=[ATPL.address]).changes] == [Action.RESTART, Action.UPDATE]
    assert [c.action for c in select(plan, targets=[ATPL.address], excludes=["job"]).changes] == [Action.UPDATE]


def test_every_rendering_shows_the_restart_and_why():
    plan = _plan()
    text = render_text(plan)
    assert "# job.main.snap will be restarted" in text and "~ update in place, restart" in text
    assert "# (template.a is updated in this plan; ICE copies a template into a job" in text
    assert "~ restart job.main.snap" in render_summary(plan)
    markdown = render_markdown(plan)
    assert "| `~` restart | 1 |" in markdown and "# job.main.snap will be restarted" in markdown
    doc = plan.to_dict()
    validate_plan_document(doc)
    change = next(c for c in doc["changes"] if c["action"] == "restart")
    assert change["reason_code"] == "template_updated" and change["depends_on"] == [ATPL.address]


def test_a_saved_plan_of_the_previous_format_is_refused(tmp_path):
    path = tmp_path / "plan.json"
    planfile.save(_plan(), path)
    doc = json.loads(path.read_text())
    doc["format_version"] = 3
    doc["checksum"] = planfile.checksum(doc)
    path.write_text(json.dumps(doc))
    with pytest.raises(PlanFileError, match="plan format 3 was written by an older livesnap"):
        planfile.load(path)


def test_repairing_a_template_edited_outside_restarts_nothing():
    # The running job started with the recorded settings, which the update puts back.
    j = job()
    state = {ATPL.address: entry(ATPL, "tpl-a"), j.address: entry(j, "J1")}
    remote = [remote_of(state[ATPL.address], interval=99), remote_of(state[j.address], vstatus="started")]
    plan = make_plan(desired(ATPL, j), state, remote, now=NOW)
    assert actions(plan) == [(ATPL.address, Action.UPDATE)]
    assert plan.changes[0].reason_code is Reason.CHANGED_OUTSIDE


def test_a_template_rename_alone_restarts_nothing():
    # an imported console template is renamed into the namespace: no setting a job copies changes
    j = job(status="started")
    state = {ATPL.address: entry(Resource(ATPL.address, "template", "ice", {**ATPL.attributes, "name": "console"}),
                                 "tpl-a"),
             j.address: entry(j, "J1")}
    remote = [remote_of(state[ATPL.address]), remote_of(state[j.address], vstatus="started", status="started")]
    plan = make_plan(desired(ATPL, j), state, remote, now=NOW)
    assert actions(plan) == [(ATPL.address, Action.UPDATE)]


def _plan_after_an_unfinished_restart(*, desired_status="started", remote_status="started", marked=True):
    """State after an apply updated the template (recorded as desired) but did not restart the job."""
    j = job(status="started")
    marker = {"restart_due": True} if marked else {}
    state = {ATPL.address: entry(ATPL, "tpl-a"), j.address: entry(j, "J1", attributes=marker)}
    remote = [remote_of(state[ATPL.address]),
              remote_of(state[j.address], vstatus=remote_status, status=remote_status)]
    for obj in remote:
        obj.attributes.pop("restart_due", None)  # the vendor knows nothing of it
    return make_plan(desired(ATPL, job(status=desired_status)), state, remote, now=NOW)


def test_a_job_recorded_as_due_a_restart_is_restarted_by_a_later_plan():
    plan = _plan_after_an_unfinished_restart()
    assert actions(plan) == [("job.main.snap", Action.RESTART)]
    assert plan.changes[0].reason_code is Reason.TEMPLATE_UPDATED and "earlier apply" in plan.changes[0].reason
    assert actions(_plan_after_an_unfinished_restart(marked=False)) == []


def test_a_job_due_a_restart_that_is_not_running_gets_no_restart():
    # Stopping or starting it takes the template; a paused job picks it up when it starts.
    assert actions(_plan_after_an_unfinished_restart(desired_status="paused")) == [("job.main.snap", Action.STOP)]
    assert actions(_plan_after_an_unfinished_restart(remote_status="paused")) == [("job.main.snap", Action.START)]


def test_the_restart_marker_is_never_a_difference():
    assert actions(make_plan(desired(ATPL, job()), {
        ATPL.address: entry(ATPL, "tpl-a"),
        "job.main.snap": entry(job(), "J1", attributes={"restart_due": True})}, None, now=NOW)) == [
        ("job.main.snap", Action.RESTART)]
