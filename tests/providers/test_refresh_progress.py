"""A refresh counts what it finds as it goes, through the query's ``progress`` callback.

What we test here: both vendors report every object their refresh returns (templates, tasks,
jobs), so the progress line's count reaches what the refresh found; without a callback nothing
is required.
"""

from __future__ import annotations

from livesnap_reconcile.resources import Known, RefreshQuery
from tests.providers.conftest import T0
from tests.providers.test_emulator_operations import ICE_TEMPLATE, TC_TEMPLATE, job_attrs, task_attrs


def test_tencent_refresh_counts_templates_and_tasks(sandbox):
    css = sandbox.provider("tencent")
    template = css.create("template", TC_TEMPLATE)
    tasks = [css.create("task", task_attrs(template.remote_id, start=T0 + 3600 * (2 * i + 1), stream=f"s{i}"))
             for i in range(3)]
    known = (Known("template.t", "template", template.remote_id, template.attributes),
             *(Known(f"task.s{i}[x]", "task", t.remote_id, t.attributes) for i, t in enumerate(tasks)))
    counts: list[int] = []
    found = css.refresh(RefreshQuery(namespace="ns", now=T0, known=known, progress=counts.append))
    assert len(found) == 4 and sum(counts) == 4
    assert css.refresh(RefreshQuery(namespace="ns", now=T0, known=known)) == found


def test_alibaba_refresh_counts_templates_and_jobs(sandbox):
    ice = sandbox.provider("alibaba")
    template = ice.create("template", ICE_TEMPLATE)
    jobs = [ice.create("job", job_attrs(template.remote_id, name=f"ls/ns/main/w{i}/0a1b2c3{i}")) for i in range(2)]
    known = (Known("template.t", "template", template.remote_id, template.attributes),
             *(Known(f"job.main.w{i}", "job", j.remote_id, j.attributes) for i, j in enumerate(jobs)))
    counts: list[int] = []
    found = ice.refresh(RefreshQuery(namespace="ns", now=T0, known=known, progress=counts.append))
    assert len(found) == 3 and sum(counts) == 3
