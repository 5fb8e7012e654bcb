"""Property tests of expansion (hypothesis).

What we test here, for random manifests and random ``now``:
- split parts cover a window exactly, without gap or overlap, each at most 24 h;
- nothing that has ended is desired; in-progress tasks start at ``now``;
- the Tencent horizon holds for every desired task and every deferred item (and ``not_before``
  is the first second it becomes creatable);
- addresses are unique; expansion is deterministic (also under key reordering);
- re-expanding later, still inside an occurrence, keeps its address and end;
- ``next_change_at`` is exactly the first instant at which the desired resources change;
- DST gap and overlap days give exactly one occurrence per scheduled local day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from livesnap_reconcile.core.schedule import _MAX_SCAN_DAYS as SCAN_DAYS
from livesnap_reconcile.core.schedule import DAY_NAMES, Schedule
from livesnap_reconcile.core.timeutil import split_interval
from livesnap_reconcile.manifest.expand import expand
from livesnap_reconcile.vendors.tencent.names import task_address
from tests.manifest.expand_support import DAY, HOUR, alibaba, manifest, tencent, ts, window

SETTINGS = settings(max_examples=80, deadline=None)
ZONES = ["UTC", "Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata"]
NOWS = st.integers(ts("2026-01-01T00:00:00+00:00"), ts("2027-12-31T00:00:00+00:00"))


@st.composite
def schedules(draw, *, now: int) -> dict:
    schedule = {
        "days": draw(st.lists(st.sampled_from(DAY_NAMES), min_size=1, max_size=7, unique=True)),
        "start": f"{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}",
        "duration": f"{draw(st.integers(1, 30 * 60))}m",
        "timezone": draw(st.sampled_from(ZONES)),
    }
    today = datetime.fromtimestamp(now, UTC).date()
    if draw(st.booleans()):
        schedule["from"] = (today + timedelta(days=draw(st.integers(-20, 30)))).isoformat()
    if draw(st.booleans()):
        schedule["until"] = (today + timedelta(days=draw(st.integers(-5, 20)))).isoformat()
    return schedule


@st.composite
def windows(draw, *, now: int) -> dict:
    start = now + draw(st.integers(-3 * DAY, 12 * DAY))
    return window(start, start + draw(st.integers(1, 3 * DAY)))


@st.composite
def scenarios(draw) -> tuple[dict, int]:
    now = draw(NOWS)
    tasks, jobs = {}, {}
    for i in range(draw(st.integers(1, 3))):
        timing = draw(st.sampled_from(["window", "schedule"]))
        spec = draw(windows(now=now)) if timing == "window" else draw(schedules(now=now))
        tasks[f"t{i}"] = {"template": "thumbs", timing: spec}
    for i in range(draw(st.integers(0, 2))):
        snap: dict = {"template": draw(st.sampled_from(["every-10s", {"id": "tpl-1"}]))}
        timing = draw(st.sampled_from(["none", "window", "schedule"]))
        if timing != "none":
            snap[timing] = draw(windows(now=now)) if timing == "window" else draw(schedules(now=now))
        if draw(st.integers(0, 4)) == 0:
            snap["status"] = "paused"
        jobs[f"j{i}"] = snap
    return manifest(streams={"lobby": tencent(tasks), "main": alibaba(jobs)}), now


def creatable(start: int, end: int, now: int) -> bool:
    return start <= now + 6 * DAY - 60 and end < now + 7 * DAY - 60  # Tencent's limits, a minute short


@SETTINGS
@given(start=NOWS, length=st.integers(1, 5 * DAY))
def test_split_parts_cover_the_interval_exactly(start, length):
    parts = split_interval(start, start + length)
    assert parts[0][0] == start and parts[-1][1] == start + length
    assert all(a[1] == b[0] for a, b in zip(parts, parts[1:], strict=False))
    assert all(0 < end - begin <= DAY for begin, end in parts)


@SETTINGS
@given(now=NOWS, lead=st.integers(0, 10 * DAY), length=st.integers(1, 4 * DAY))
def test_window_parts_from_expand_cover_the_window(now, lead, length):
    start = now + lead
    state = expand(manifest(streams={"lobby": tencent({"w": {"template": "thumbs", "window": window(start, start + length)}})}), now=now)
    spans = sorted(
        [(r.attributes["scheduled_start"], r.attributes["end"]) for r in state.resources if r.kind == "task"]
        + [(d.start, d.end) for d in state.deferred]
    )
    # Consecutive whole-day parts (Tencent's inclusive 24 h maximum) cover the window exactly.
    assert spans[0][0] == start and spans[-1][1] == start + length
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert all(0 < end - begin <= DAY for begin, end in spans)
    assert len(spans) == -(-length // DAY)


@SETTINGS
@given(scenarios())
def test_nothing_ended_is_desired_and_the_horizon_holds(scenario):
    data, now = scenario
    state = expand(data, now=now)
    for task in (r for r in state.resources if r.kind == "task"):
        attrs = task.attributes
        assert attrs["end"] > now
        assert attrs["start"] == max(attrs["scheduled_start"], now) < attrs["end"]
        assert attrs["end"] - attrs["scheduled_start"] <= DAY
        assert creatable(attrs["scheduled_start"], attrs["end"], now)
        assert task.address == task_address("lobby", task.address.split(".")[2].split("[")[0], attrs["scheduled_start"])
    for item in state.deferred:
        assert item.end > now and 0 < item.end - item.start <= DAY
        assert not creatable(item.start, item.end, now)
        assert item.not_before > now
        assert creatable(item.start, item.end, item.not_before)
        assert not creatable(item.start, item.end, item.not_before - 1)


@SETTINGS
@given(scenarios())
def test_addresses_are_unique_and_sorted(scenario):
    data, now = scenario
    state = expand(data, now=now)
    addresses = [r.address for r in state.resources]
    deferred = [d.address for d in state.deferred]
    assert addresses == sorted(addresses) and deferred == sorted(deferred)
    assert len(set(addresses + deferred)) == len(addresses) + len(deferred)


def _reversed(value):
    if isinstance(value, dict):
        return {k: _reversed(value[k]) for k in reversed(list(value))}
    return value


@SETTINGS
@given(scenarios())
def test_expansion_is_deterministic(scenario):
    data, now = scenario
    assert expand(data, now=now) == expand(data, now=now) == expand(_reversed(data), now=now)


@SETTINGS
@given(scenarios(), st.floats(0, 1, exclude_max=True))
def test_re_expanding_later_keeps_address_and_end(scenario, fraction):
    data, now = scenario
    before = {r.address: r for r in expand(data, now=now).resources if r.kind == "task"}
    for address, task in before.items():
        start, end = task.attributes["start"], task.attributes["end"]
        later = start + int((end - start) * fraction)
        after = {r.address: r for r in expand(data, now=later).resources}
        assert address in after
        assert after[address].attributes["end"] == end
        assert after[address].attributes["scheduled_start"] == task.attributes["scheduled_start"]
        assert after[address].attributes["start"] == max(later, task.attributes["scheduled_start"])


def _key(data, at):
    return {(r.address, r.attributes.get("status"), r.attributes.get("end")) for r in expand(data, now=at).resources}


@SETTINGS
@given(scenarios())
def test_next_change_at_is_the_first_instant_the_resources_change(scenario):
    data, now = scenario
    change = expand(data, now=now).next_change_at
    if change is None:
        assert _key(data, now + 20 * DAY) == _key(data, now)
        return
    assert change > now
    assert _key(data, change - 1) == _key(data, now)
    if _key(data, change) == _key(data, now):
        # A schedule that runs without a break past the 400 days scanned ahead (every day, 24 h)
        # cannot be known to stop: the end of the scan is a re-check, which changes nothing and
        # points further on. It is the only instant allowed to change nothing.
        assert change - now >= (SCAN_DAYS - 3) * DAY
        assert (expand(data, now=change).next_change_at or change + 1) > change
        return
    assert _key(data, change) != _key(data, now)


# Real transition days in 2026 (checked below so a wrong date cannot make the test vacuous).
DST_DAYS = [
    ("America/New_York", date(2026, 3, 8)),
    ("America/New_York", date(2026, 11, 1)),
    ("Europe/London", date(2026, 3, 29)),
    ("Europe/Berlin", date(2026, 10, 25)),
    ("Australia/Sydney", date(2026, 4, 5)),
    ("Australia/Sydney", date(2026, 10, 4)),
    ("America/Santiago", date(2026, 9, 6)),  # the gap is at local midnight
]


def _offset(zone: ZoneInfo, moment: datetime) -> timedelta:
    return moment.replace(tzinfo=zone).utcoffset()


def _epoch(naive: datetime, offset: timedelta) -> int:
    return int((naive - datetime(1970, 1, 1) - offset).total_seconds())


def _expected_start(zone: ZoneInfo, naive: datetime) -> int:
    """Oracle: the earliest instant showing ``naive`` on the wall, else ``naive`` shifted by the gap."""
    before = _offset(zone, datetime.combine(naive.date(), datetime.min.time()) - timedelta(hours=12))
    after = _offset(zone, datetime.combine(naive.date(), datetime.min.time()) + timedelta(hours=36))
    real = [
        c for c in {_epoch(naive, before), _epoch(naive, after)}
        if datetime.fromtimestamp(c, zone).replace(tzinfo=None) == naive
    ]
    if real:
        return min(real)
    shifted = naive + (after - before)  # nonexistent: moved forward by the size of the gap
    (instant,) = [c for c in {_epoch(shifted, before), _epoch(shifted, after)}
                  if datetime.fromtimestamp(c, zone).replace(tzinfo=None) == shifted]
    return instant


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(DST_DAYS),
    st.integers(0, 23) | st.sampled_from([0, 1, 2, 3]),
    st.integers(0, 59),
    st.integers(1, 180),
    st.integers(24 * HOUR, 48 * HOUR),
)
def test_dst_days_have_exactly_one_occurrence_per_scheduled_local_day(case, hour, minute, minutes, lead):
    zone_name, day = case
    zone = ZoneInfo(zone_name)
    midnight = datetime.combine(day, datetime.min.time())
    assert _offset(zone, midnight - timedelta(hours=12)) != _offset(zone, midnight + timedelta(hours=36))
    now = _epoch(midnight, _offset(zone, midnight - timedelta(hours=12))) - lead
    spec = {"start": f"{hour:02d}:{minute:02d}", "duration": f"{minutes}m", "timezone": zone_name}

    occurrences = Schedule.from_mapping(spec).occurrences_between(now, now + 14 * DAY)
    for scheduled in (day - timedelta(days=1), day, day + timedelta(days=1)):
        on_day = [(s, e) for s, e in occurrences if datetime.fromtimestamp(s, zone).date() == scheduled]
        assert len(on_day) == 1
        (start, end), naive = on_day[0], datetime.combine(scheduled, datetime.min.time()).replace(hour=hour, minute=minute)
        assert start == _expected_start(zone, naive)
        assert end - start == minutes * 60  # elapsed time, whatever the wall clock does

    state = expand(manifest(streams={"lobby": tencent({"s": {"template": "thumbs", "schedule": spec}})}), now=now)
    starts = [r.attributes["scheduled_start"] for r in state.resources if r.kind == "task"] + [d.start for d in state.deferred]
    local_days = [datetime.fromtimestamp(s, zone).date() for s in starts]
    assert len(local_days) == len(set(local_days))
    assert day in local_days
