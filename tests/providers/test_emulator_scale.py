"""Refresh at scale against the emulator: pagination, windows, de-duplication and request economy,
and throttling absorbed by pacing and retries (never surfaced)."""

from __future__ import annotations

import math

from livesnap_reconcile.emulator import Faults
from livesnap_reconcile.providers import SANDBOX_ENDPOINT
from livesnap_reconcile.providers.tencent.model import windows
from livesnap_reconcile.resources import Known, RefreshQuery, Resource
from tests.providers.conftest import T0, Sandbox
from tests.providers.test_emulator_operations import ICE_TEMPLATE, job_attrs, task_attrs

DAY = 86400


def seeding(box: Sandbox, vendor: str):
    return box.provider(vendor, endpoint=SANDBOX_ENDPOINT, transport=box.emu.transport())


def test_thousand_tasks_in_one_window_are_paged_over_loopback():
    box = Sandbox(loopback=True)
    try:
        seed = seeding(box, "tencent")
        made = [seed.create("task", task_attrs("7", start=T0 + 3600 + (i // 40) * 7200, stream=f"s{i % 40}"))
                for i in range(1000)]
        css = box.provider("tencent")
        known = tuple(Known(f"task.{i}", "task", m.remote_id, m.attributes) for i, m in enumerate(made))
        found = css.refresh(RefreshQuery(namespace="ns", now=T0, known=known))
        assert sorted(o.remote_id for o in found) == sorted(m.remote_id for m in made)
        assert css.requests["DescribeScreenshotTask"] == math.ceil(1000 / 100)  # one window, 10 pages
    finally:
        box.close()


def test_two_thousand_tasks_over_thirty_days_found_exactly_once():
    box = Sandbox()
    seed = seeding(box, "tencent")
    made = []
    for day in range(30):  # the vendor only accepts tasks ending within a week: walk the clock
        box.clock.set(T0 + day * DAY)
        for i in range(67):
            if len(made) < 2000:
                start = T0 + day * DAY + 3600 + (i // 20) * 7200
                made.append(seed.create("task", task_attrs("7", start=start, stream=f"s{i % 20}", hours=2)))
    foreign = seed.create("task", task_attrs("7", start=T0 + 29 * DAY + 60, stream="not-ours"))
    box.clock.set(T0 + 31 * DAY)
    css = box.provider("tencent")
    known = tuple(Known(f"task.{i}", "task", m.remote_id, m.attributes) for i, m in enumerate(made))
    found = css.refresh(RefreshQuery(namespace="ns", now=T0 + 31 * DAY, known=known))
    ids = [o.remote_id for o in found]
    assert len(ids) == len(set(ids)) == 2000
    assert set(ids) == {m.remote_id for m in made} and foreign.remote_id not in ids
    spans = windows(min(m.attributes["start"] for m in made), max(m.attributes["end"] for m in made))
    # Each window costs ceil(tasks in it / 100) pages (+1 when it ends exactly on a page boundary).
    assert len(spans) == 5 and css.requests["DescribeScreenshotTask"] <= sum(
        math.ceil(sum(1 for m in made if a <= m.attributes["start"] and m.attributes["end"] <= b) / 100) + 1
        for a, b in spans)


def test_desired_tasks_narrow_the_query_by_stream():
    box = Sandbox()
    css = box.provider("tencent")
    ours = css.create("task", task_attrs("7", start=T0 + 600, stream="mine"))
    css.create("task", task_attrs("7", start=T0 + 600, stream="theirs"))
    desired = {**task_attrs("7", start=T0 + 600, stream="mine"), "scheduled_start": T0 + 600}
    found = css.refresh(RefreshQuery(namespace="ns", now=T0, desired=(Resource("task.x[a]", "task", "css", desired),)))
    assert [o.remote_id for o in found] == [ours.remote_id]
    assert css.requests["DescribeScreenshotTask"] == 1


def test_two_hundred_fifty_jobs_discovered_over_loopback():
    box = Sandbox(loopback=True)
    try:
        seed = seeding(box, "alibaba")
        template_id = seed.create("template", ICE_TEMPLATE).remote_id
        attrs = []
        for i in range(250):
            a = {**job_attrs(template_id, name=f"ls/ns/s{i}/snap/{i:08x}"), "rtmp_url": f"rtmp://push.example.com/live/s{i}"}
            box.emu.set_stream_offline(a["rtmp_url"])  # ICE runs at most 100 jobs at once
            box.clock.set(T0 - (i % 80) * DAY)  # created over the last 80 days
            attrs.append({**a, "status": "paused"})
            seed.create("job", a)
        box.clock.set(T0)
        ice = box.provider("alibaba")
        desired = tuple(Resource(f"job.s{i}.snap", "job", "ice", a) for i, a in enumerate(attrs))
        found = ice.refresh(RefreshQuery(namespace="ns", now=T0, desired=desired))
        assert sorted(o.attributes["name"] for o in found) == sorted(a["name"] for a in attrs)
        assert [o.attributes for o in sorted(found, key=lambda o: o.attributes["name"])] == sorted(
            attrs, key=lambda a: a["name"])
        # 3 slices of 30 days, each paged by 100; one Get per discovered job.
        assert ice.requests["ListLiveSnapshotJobs"] <= 3 + 250 // 100 + 1
        assert ice.requests["GetLiveSnapshotJob"] == 250

        # Once they are known (in state), the listing alone refreshes them: no Get per job, and
        # the attributes equal what Get returned.
        known = tuple(Known(f"job.{o.remote_id}", "job", o.remote_id, o.attributes) for o in found)
        again_provider = box.provider("alibaba")
        again = again_provider.refresh(RefreshQuery(namespace="ns", now=T0, known=known, desired=desired))
        assert sorted((o.remote_id, o.attributes) for o in again) == sorted((o.remote_id, o.attributes) for o in found)
        assert again_provider.requests.get("GetLiveSnapshotJob", 0) == 0
        # A job whose recorded name no longer matches (edited behind our back) is fetched in full.
        stale = (Known("job.x", "job", found[0].remote_id, {**found[0].attributes, "name": "ls/ns/other/x/0",
                                                             "rtmp_url": "rtmp://stale.example.com/a/b"}),)
        third = box.provider("alibaba")
        refetched = {o.remote_id: o for o in third.refresh(RefreshQuery(namespace="ns", now=T0, known=stale))}
        assert refetched[found[0].remote_id].attributes == found[0].attributes
    finally:
        box.close()


def test_throttling_is_honoured_without_surfacing_an_error():
    box = Sandbox(faults=Faults())  # the documented limits: Tencent 20/s, ICE 100/s
    css = box.provider("tencent", max_rps=200)  # deliberately faster than the vendor allows
    ice = box.provider("alibaba", max_rps=1000)
    for i in range(60):
        css.create("task", task_attrs("7", start=T0 + 600 + i * 3600, stream=f"s{i % 3}"))
        ice.find("template", {"name": f"ns-{i}"}, now=T0)
    assert css.client.caller.retries["CreateScreenshotTask"] > 0
    assert len(box.emu.tencent_tasks()) == 60
    # With the default pacing (20/s) the vendor limit is met without retries.
    paced = Sandbox(faults=Faults())
    default = paced.provider("tencent", max_rps=None)
    for i in range(60):
        default.create("task", task_attrs("7", start=T0 + 600 + i * 3600, stream=f"s{i % 3}"))
    assert sum(default.client.caller.retries.values()) == 0
