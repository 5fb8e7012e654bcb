"""Parsing of command-line values shared by several commands (durations)."""

from __future__ import annotations

import re

import click

_DURATION = re.compile(r"^(-)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


def parse_duration(text: str, *, allow_negative: bool = False) -> float:
    """`30s`, `5m`, `1h30m`, `1d2h` or plain seconds -> seconds (`-30m` only if allowed)."""
    text = text.strip().lower()
    try:
        value = float(text)
    except ValueError:
        m = _DURATION.match(text)
        if not m or not any(m.groups()[1:]):
            raise click.BadParameter(f"{text!r} is not a duration like 30s, 5m, 1h30m or 1d2h") from None
        days, hours, minutes, seconds = (int(g or 0) for g in m.groups()[1:])
        value = (-1 if m.group(1) else 1) * float(days * 86400 + hours * 3600 + minutes * 60 + seconds)
    if value < 0 and not allow_negative:
        raise click.BadParameter(f"{text!r} must not be negative")
    return value
