"""Time helpers of expansion: durations, instants, task stamps, interval splitting."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from livesnap_reconcile.core.timeutil import (
    format_task_stamp,
    parse_clock,
    parse_date,
    parse_duration,
    parse_instant,
    split_interval,
)
from tests.manifest.expand_support import DAY, HOUR


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90m", 5400), ("2h", 7200), ("1h30m", 5400), ("45s", 45), ("1h0m5s", 3605), ("25h", 90000), (600, 600)],
)
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "h", "90", "1.5h", "30m1h", "-5m", "0m", "2 hours", True, 0])
def test_parse_duration_refuses_bad_text(text):
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


def test_parse_instant_honours_the_offset():
    assert parse_instant("2026-11-25T09:00:00+08:00") == parse_instant("2026-11-25T01:00:00Z")
    assert parse_instant("2026-11-25T01:00:00Z") == int(datetime(2026, 11, 25, 1, tzinfo=UTC).timestamp())
    assert parse_instant("2026-11-25T01:00:00.900Z") == parse_instant("2026-11-25T01:00:00Z")


def test_parse_instant_refuses_naive_and_garbage():
    with pytest.raises(ValueError, match="offset"):
        parse_instant("2026-11-25T09:00:00")
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_instant("next tuesday")


def test_parse_date_and_clock():
    assert parse_date("2026-03-08").isoformat() == "2026-03-08"
    assert parse_clock("02:30").isoformat() == "02:30:00"
    for bad in ("24:00", "7:00", "07:60", "0700"):
        with pytest.raises(ValueError, match="HH:MM"):
            parse_clock(bad)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_date("08/03/2026")


def test_task_stamp_is_utc_minutes_with_seconds_only_when_needed():
    start = parse_instant("2026-11-25T19:00:00+08:00")
    assert format_task_stamp(start) == "2026-11-25T11:00Z"
    assert format_task_stamp(start + 7) == "2026-11-25T11:00:07Z"


def test_split_interval_cuts_long_windows_in_day_parts():
    parts = split_interval(0, 2 * DAY + 6 * HOUR)
    assert parts == [(0, DAY), (DAY, 2 * DAY), (2 * DAY, 2 * DAY + 6 * HOUR)]
    assert split_interval(5, 6) == [(5, 6)]
    with pytest.raises(ValueError):
        split_interval(6, 6)


def test_task_stamps_are_formatted_once_per_start():
    # Every task address carries one, and a fleet's streams share their start times.
    from livesnap_reconcile.core.timeutil import format_task_stamp

    format_task_stamp.cache_clear()
    stamps = [format_task_stamp(1_795_568_400 + 60 * (i % 10)) for i in range(100)]
    assert stamps[0] == "2026-11-25T01:00Z" and stamps[1] == "2026-11-25T01:01Z"
    assert format_task_stamp.cache_info().misses == 10
