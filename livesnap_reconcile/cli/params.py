"""Parsing of command-line values shared by several commands (durations)."""

from __future__ import annotations

import click

from livesnap_reconcile.core.duration import duration_seconds

PARALLELISM_HELP = ("How many changes run at once. Default: enough to keep each provider at its rate limit "
                    "(rate x observed latency, 4 to 64).")


def parse_duration(text: str, *, allow_negative: bool = False) -> float:
    """`30s`, `5m`, `1h30m`, `1d2h` or plain seconds -> seconds (`-30m` only if allowed)."""
    text = text.strip().lower()
    try:
        value = float(text)
    except ValueError:
        seconds = duration_seconds(text, negative=True)
        if seconds is None:
            raise click.BadParameter(f"{text!r} is not a duration like 30s, 5m, 1h30m or 1d2h") from None
        value = float(seconds)
    if value < 0 and not allow_negative:
        raise click.BadParameter(f"{text!r} must not be negative")
    return value
