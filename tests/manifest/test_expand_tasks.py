"""Tencent tasks: one per occurrence part, dropped when ended, deferred beyond the vendor horizon."""

from __future__ import annotations

import pytest

from livesnap_reconcile.core.timeutil import format_task_stamp as _stamp
from livesnap_reconcile.errors import ManifestError
from livesnap_reconcile.manifest.expand import expand
from livesnap_reconcile.resources import Deferred
from tests.manifest.expand_support import DAY, HOUR, NOW, manifest, tencent, ts, window


def _expand(snapshots, *, now=NOW, **stream_extra):
    return expand(manifest(streams={"lobby": tencent(snapshots, **stream_extra)}), now=now)


def _tasks(state):
    return {r.address: r for r in state.resources if r.kind == "task"}


def test_window_in_progress_starts_now_but_keeps_its_scheduled_address():
    start, end = ts("2026-11-25T09:00:00+08:00"), ts("2026-11-25T12:00:00+08:00")
    state = _expand({"launch": {"template": "thumbs", "window": window(start, end)}})
    task = _tasks(state)["task.lobby.launch[2026-11-25T01:00Z]"]
    assert task.attributes == {
        "domain": "5000.live.push.com",
        "app": "live",
        "stream": "livetest",
        "start": NOW,
        "end": end,
        "template": {"ref": "template.thumbs"},
        "scheduled_start": start,
    }
    assert task.depends_on == ("template.thumbs",) and task.provider == "css-gz"
    assert state.next_change_at == end


def test_future_window_keeps_its_own_start():
    start = NOW + 2 * HOUR
    task = _tasks(_expand({"w": {"template": {"id": 42}, "window": window(start, start + HOUR)}}))
    (only,) = task.values()
    assert only.attributes["start"] == only.attributes["scheduled_start"] == start
    assert only.attributes["template"] == {"id": "42"} and only.depends_on == ()


def test_ended_window_is_not_desired():
    state = _expand({"w": {"template": "thumbs", "window": window(NOW - 2 * HOUR, NOW)}})
    assert _tasks(state) == {} and state.deferred == () and state.next_change_at is None


def test_long_window_is_split_in_day_parts_and_ended_parts_dropped():
    start = NOW - 30 * HOUR
    state = _expand({"w": {"template": "thumbs", "window": window(start, start + 60 * HOUR)}})
    tasks = _tasks(state)
    assert sorted((t.attributes["scheduled_start"], t.attributes["end"]) for t in tasks.values()) == [
        (start + DAY, start + 2 * DAY),
        (start + 2 * DAY, start + 60 * HOUR),
    ]
    assert tasks[f"task.lobby.w[{_stamp(start + DAY)}]"].attributes["start"] == NOW


@pytest.mark.parametrize(
    ("start", "end", "desired"),
    [
        (NOW + 6 * DAY - 60, NOW + 6 * DAY + HOUR, True),  # StartTime <= now + 6 d, less a minute
        (NOW + 6 * DAY - 59, NOW + 6 * DAY + HOUR, False),
        (NOW + 6 * DAY - 60, NOW + 7 * DAY - 120, True),  # the longest part still ends before 7 d - 1 min
    ],
)
def test_horizon_boundaries(start, end, desired):
    state = _expand({"w": {"template": "thumbs", "window": window(start, end)}})
    assert bool(_tasks(state)) is desired
    assert bool(state.deferred) is not desired


def test_deferred_reports_the_first_second_it_can_be_created():
    start = NOW + 10 * DAY
    state = _expand({"w": {"template": "thumbs", "window": window(start, start + 20 * HOUR)}})
    assert state.deferred == (
        Deferred(
            address=f"task.lobby.w[{_stamp(start)}]",
            provider="css-gz",
            start=start,
            end=start + 20 * HOUR,
            not_before=start - 6 * DAY + 60,  # a minute inside the 6 d horizon
        ),
    )
    assert state.next_change_at == start - 6 * DAY + 60
    # Even the longest part (24 h less a minute) meets the end rule (EndTime < t + 7 d, less a
    # minute) once it meets the start rule.
    state = _expand({"w": {"template": "thumbs", "window": window(start, start + DAY - 60)}})
    assert state.deferred[0].not_before == start - 6 * DAY + 60


def test_address_shows_seconds_only_when_the_start_has_them():
    start = NOW + HOUR + 30
    (address,) = _tasks(_expand({"w": {"template": "thumbs", "window": window(start, start + HOUR)}}))
    assert address == "task.lobby.w[2026-11-25T03:00:30Z]"


def test_schedule_lists_fourteen_days_and_defers_beyond_the_horizon():
    schedule = {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "19:00", "duration": "90m", "timezone": "Asia/Shanghai"}
    state = _expand({"news": {"template": {"id": 12345}, "schedule": schedule}})
    desired = sorted(_tasks(state))
    assert desired == [
        "task.lobby.news[2026-11-25T11:00Z]",
        "task.lobby.news[2026-11-26T11:00Z]",
        "task.lobby.news[2026-11-27T11:00Z]",
        "task.lobby.news[2026-11-30T11:00Z]",
    ]
    deferred = [d.address for d in state.deferred]
    assert deferred[0] == "task.lobby.news[2026-12-01T11:00Z]"
    # The last listed start is <= now + 14 d (Dec 9 02:00Z), so Dec 9 11:00Z is not listed yet.
    assert deferred[-1] == "task.lobby.news[2026-12-08T11:00Z]"
    assert len(deferred) == 6
    assert state.next_change_at == ts("2026-11-25T19:01:00+08:00")  # Dec 1st becomes creatable (6 d less a minute)


def test_in_progress_schedule_occurrence_starts_now():
    schedule = {"start": "09:30", "duration": "1h", "timezone": "Asia/Shanghai"}
    tasks = _tasks(_expand({"s": {"template": "thumbs", "schedule": schedule}}))
    current = tasks["task.lobby.s[2026-11-25T01:30Z]"]
    assert current.attributes["start"] == NOW
    assert current.attributes["end"] == ts("2026-11-25T10:30:00+08:00")


def test_schedule_longer_than_a_day_is_split_too():
    schedule = {"days": ["sat"], "start": "00:00", "duration": "30h", "timezone": "UTC"}
    tasks = _tasks(_expand({"s": {"template": "thumbs", "schedule": schedule}}))
    spans = sorted((t.attributes["scheduled_start"], t.attributes["end"]) for t in tasks.values())
    sat = ts("2026-11-28T00:00:00+00:00")
    assert spans == [(sat, sat + DAY), (sat + DAY, sat + 30 * HOUR)]


def test_schedule_from_and_until_bound_the_days():
    schedule = {"start": "20:00", "duration": "1h", "timezone": "UTC", "from": "2026-11-27", "until": "2026-11-28"}
    state = _expand({"s": {"template": "thumbs", "schedule": schedule}})
    assert sorted(_tasks(state)) == ["task.lobby.s[2026-11-27T20:00Z]", "task.lobby.s[2026-11-28T20:00Z]"]
    assert state.deferred == ()


def test_schedule_starting_weeks_ahead_reports_when_its_first_task_becomes_creatable():
    schedule = {"start": "20:00", "duration": "1h", "timezone": "UTC", "from": "2027-01-10"}
    state = _expand({"s": {"template": "thumbs", "schedule": schedule}})
    assert _tasks(state) == {} and state.deferred == ()
    assert state.next_change_at == ts("2027-01-10T20:00:00+00:00") - 6 * DAY + 60


def test_spring_forward_gap_start_happens_once_shifted_by_the_gap():
    schedule = {"start": "02:30", "duration": "1h", "timezone": "America/New_York", "days": ["sun"]}
    state = _expand({"s": {"template": "thumbs", "schedule": schedule}}, now=ts("2026-03-07T12:00:00-05:00"))
    # 02:30 does not exist on 2026-03-08; it becomes 03:30 EDT = 07:30 UTC.
    assert sorted(_tasks(state)) == ["task.lobby.s[2026-03-08T07:30Z]"]


def test_fall_back_ambiguous_start_happens_once_at_the_first_instant():
    schedule = {"start": "01:30", "duration": "1h", "timezone": "America/New_York", "days": ["sun"]}
    state = _expand({"s": {"template": "thumbs", "schedule": schedule}}, now=ts("2026-10-31T12:00:00-04:00"))
    # 01:30 happens twice on 2026-11-01; the first (EDT, 05:30 UTC) is the one.
    (task,) = _tasks(state).values()
    assert task.address == "task.lobby.s[2026-11-01T05:30Z]"
    assert task.attributes["end"] - task.attributes["scheduled_start"] == HOUR  # elapsed, not wall time


def test_protect_is_inherited_from_the_stream():
    tasks = _tasks(_expand({"w": {"template": "thumbs", "window": window(NOW, NOW + HOUR)}}, protect=True))
    assert all(t.protect for t in tasks.values()) and tasks


def test_window_with_a_naive_time_is_refused_with_its_path():
    bad = {"start": "2026-11-25T09:00:00", "end": "2026-11-25T10:00:00+08:00"}
    with pytest.raises(ManifestError, match=r"streams\.lobby\.snapshots\.w\.window: .*offset"):
        _expand({"w": {"template": "thumbs", "window": bad}})


def test_window_ending_before_it_starts_is_refused():
    with pytest.raises(ManifestError, match="end must be later"):
        _expand({"w": {"template": "thumbs", "window": window(NOW + HOUR, NOW)}})


def test_resources_and_deferred_are_sorted_by_address():
    snapshots = {
        "b": {"template": "thumbs", "window": window(NOW + 9 * DAY, NOW + 12 * DAY)},
        "a": {"template": "thumbs", "window": window(NOW - HOUR, NOW + 3 * DAY)},
    }
    state = _expand(snapshots)
    addresses = [r.address for r in state.resources]
    assert addresses == sorted(addresses) and len(addresses) > 3
    deferred = [d.address for d in state.deferred]
    assert deferred == sorted(deferred) and len(deferred) == 3
