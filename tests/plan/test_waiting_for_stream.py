"""A job whose last start found its stream not live is waiting for it, whatever ICE reports.

What we test here: with the waiting mark in state, a job that ICE reports `init` or `paused` is no
drift, and its start is retried with reason code `waiting_for_stream`; once it runs, nothing is
planned; without the mark, a job paused outside livesnap is still drift; the drift reports (text,
markdown) list a waiting job apart, under its own heading.
"""

from __future__ import annotations

import pytest

from livesnap_reconcile.core.reasons import Reason
from livesnap_reconcile.plan.model import Action
from livesnap_reconcile.plan.planner import make_plan
from livesnap_reconcile.plan.render_markdown import render_drift_markdown
from livesnap_reconcile.plan.render_text import render_drift
from livesnap_reconcile.resources import RemoteObject
from tests.plan.test_planner import ATPL, NOW, desired, entry, job, remote_of


def _plan(vstatus: str, *, waiting: bool = True):
    j = job()
    mark = {"waiting_for_stream": True} if waiting else {}
    state = {ATPL.address: entry(ATPL, "tpl-a"), j.address: entry(j, "J1", attributes=mark)}
    status = "started" if vstatus == "started" else "paused"
    seen = {k: v for k, v in state[j.address].attributes.items() if k != "waiting_for_stream"}  # ICE's view
    remote = [remote_of(state[ATPL.address]), RemoteObject("job", "ice", "J1", {**seen, "status": status}, vstatus)]
    return make_plan(desired(ATPL, j), state, remote, now=NOW)


@pytest.mark.parametrize("vstatus", ["init", "paused"])
def test_a_waiting_job_is_no_drift_and_its_start_says_it_waits(vstatus):
    plan = _plan(vstatus)
    assert plan.drift == ()
    [change] = plan.changes
    assert (change.action, change.reason_code) == (Action.START, Reason.WAITING_FOR_STREAM)
    assert "waiting for its stream to go live" in change.reason


def test_a_waiting_job_that_runs_again_needs_nothing():
    plan = _plan("started")
    assert plan.changes == () and plan.drift == ()


def test_without_the_mark_a_pause_is_still_drift():
    plan = _plan("paused", waiting=False)
    assert [d.what for d in plan.drift] == ["paused"]
    assert plan.changes[0].reason_code is Reason.STATUS_CHANGED_OUTSIDE


def test_drift_reports_list_the_waiting_job_apart_from_drift():
    plan = _plan("init")
    for text in (render_drift(plan), render_drift_markdown(plan)):
        assert "Waiting for something outside livesnap (not drift) (1)" in text
        assert "job.main.snap" in text and "waiting for its stream to go live" in text
        assert "No drift" in text
