"""Properties every renderer keeps for any plan the model can hold.

What we test here (hypothesis, small example counts): the JSON document validates against the
schema; text is plain without colour and colour adds only ANSI codes; output does not depend on
the order of changes; markdown never exceeds its limit and keeps the totals and every stream
whenever the limit leaves room for a stream index.
"""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from livesnap_reconcile.plan.model import Action, Change, Plan
from livesnap_reconcile.plan.render_common import totals_phrase
from livesnap_reconcile.plan.render_json import plan_document, validate_plan_document
from livesnap_reconcile.plan.render_markdown import render_markdown
from livesnap_reconcile.plan.render_text import render_drift, render_summary, render_text
from tests.plan.factories import T0, drift, job_attrs, plan, stamp, task_attrs, tencent_template_attrs

ANSI = re.compile(r"\x1b\[[0-9;]*m")
names = st.sampled_from(["lobby", "hall", "news", "main", "a-b", "x_1"])


@st.composite
def changes(draw) -> Change:
    kind = draw(st.sampled_from(["template", "job", "task"]))
    stream, snap = draw(names), draw(names)
    start = T0 + draw(st.integers(0, 48)) * 3600
    if kind == "template":
        address, attrs = f"template.{snap}", tencent_template_attrs(snap, interval=draw(st.integers(1, 60)))
    elif kind == "job":
        address, attrs = f"job.{stream}.{snap}", job_attrs(stream, bucket=draw(names))
    else:
        address, attrs = f"task.{stream}.{snap}[{stamp(start)}]", task_attrs(stream, start=start)
    allowed = [a for a in Action if kind == "job" or a not in (Action.START, Action.STOP, Action.RESTART)]
    action = draw(st.sampled_from(allowed))
    other = {**attrs, "status": "paused"} if kind == "job" else {**attrs, "end": attrs.get("end", 0) + 60}
    before = None if action is Action.CREATE else other
    after = None if action in (Action.DELETE, Action.FORGET) else attrs
    if action is Action.ADOPT:
        before = None
    return Change(address=address, action=action, kind=kind, provider="p", reason=draw(st.sampled_from(["", "why"])),
                  before=before, after=after, remote_id=None if action is Action.CREATE else "r1")


@st.composite
def plans(draw) -> Plan:
    picked = draw(st.lists(changes(), max_size=12, unique_by=lambda c: c.address))
    drifts = draw(st.lists(st.sampled_from([
        drift("job.main.news", "paused"), drift("template.news", "modified", before={"interval": 1},
                                                after={"interval": 2}),
        drift("job:7", "unexpected", remote_id="7")]), max_size=3, unique_by=lambda d: d.address))
    return plan(*picked, drift=tuple(drifts), next_change_at=draw(st.none() | st.just(T0)))


@settings(max_examples=40, deadline=None)
@given(plans())
def test_every_plan_document_validates(p):
    validate_plan_document(plan_document(p))


@settings(max_examples=40, deadline=None)
@given(plans())
def test_colour_is_only_ansi_on_top_of_plain_text(p):
    for render in (render_text, render_summary, render_drift):
        plain, coloured = render(p), render(p, color=True)
        assert "\x1b" not in plain
        assert ANSI.sub("", coloured) == plain


@settings(max_examples=30, deadline=None)
@given(plans(), st.randoms(use_true_random=False))
def test_output_does_not_depend_on_change_order(p, rnd):
    shuffled = list(p.changes)
    rnd.shuffle(shuffled)
    q = plan(*shuffled, drift=tuple(reversed(p.drift)), next_change_at=p.next_change_at)
    assert render_text(q) == render_text(p)
    assert render_summary(q) == render_summary(p)
    assert render_markdown(q, limit=2000) == render_markdown(p, limit=2000)


@settings(max_examples=40, deadline=None)
@given(plans(), st.integers(600, 8000))
def test_markdown_never_exceeds_its_limit_and_keeps_totals_and_streams(p, limit):
    text = render_markdown(p, limit=limit)
    assert len(text) <= limit
    assert totals_phrase(p) in text
    streams = {c.address.split(".")[1] for c in p.changes if c.kind != "template"}
    assert all(s in text for s in streams)
