"""The one duration grammar and the three dialects built on it (manifest, expansion, command line).

What we test here: units, order and sign are honoured per caller; anything else is refused; the
three public parsers keep their documented languages.
"""

from __future__ import annotations

from datetime import timedelta

import click
import pytest
from hypothesis import given
from hypothesis import strategies as st

from livesnap_reconcile.cli.params import parse_duration as cli_duration
from livesnap_reconcile.core.duration import duration_seconds
from livesnap_reconcile.core.timespec import parse_duration as manifest_duration
from livesnap_reconcile.core.timeutil import parse_duration as expansion_duration


@pytest.mark.parametrize("text, seconds", [
    ("1d2h30m15s", 95415), ("90m", 5400), ("2h", 7200), ("45s", 45), ("0m", 0), ("1h0m", 3600),
])
def test_every_unit_counts(text: str, seconds: int):
    assert duration_seconds(text) == seconds


@pytest.mark.parametrize("text", ["", "h", "1x", "30m1h", "1h 30m", " 1h", "1h\n", "+1h", "1.5h", "-", "1hh"])
def test_what_is_not_a_duration(text: str):
    assert duration_seconds(text) is None


def test_units_and_sign_are_the_callers_choice():
    assert duration_seconds("1d", units="hm") is None
    assert duration_seconds("30s", units="hm") is None
    assert duration_seconds("-30m") is None
    assert duration_seconds("-30m", negative=True) == -1800


@given(st.integers(0, 99), st.integers(0, 99), st.integers(0, 99), st.integers(0, 99))
def test_any_combination_adds_up(d: int, h: int, m: int, s: int):
    assert duration_seconds(f"{d}d{h}h{m}m{s}s") == d * 86400 + h * 3600 + m * 60 + s


def test_the_three_dialects():
    assert manifest_duration("1h30m") == timedelta(minutes=90)
    assert manifest_duration("45s") is None  # the manifest's schedule lengths are in minutes
    assert expansion_duration("45s") == 45 and expansion_duration(600) == 600
    with pytest.raises(ValueError, match="invalid duration '1d'"):
        expansion_duration("1d")
    assert cli_duration("1d2h") == 93600 and cli_duration("2.5") == 2.5
    assert cli_duration("-30m", allow_negative=True) == -1800
    with pytest.raises(click.BadParameter, match="must not be negative"):
        cli_duration("-30m")
