"""The one duration grammar: ``1d2h30m15s`` style, with the units and sign each caller allows.

The manifest takes ``90m`` / ``1h30m`` for schedule lengths, expansion also normalised seconds,
and the command line ``30s`` to ``1d2h`` and, where it means "back", a leading ``-``. One
pattern serves all three, so they cannot drift apart.
"""

from __future__ import annotations

import re

_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_GRAMMAR = re.compile(r"(-)?(?=\d)(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")


def duration_seconds(text: str, *, units: str = "dhms", negative: bool = False) -> int | None:
    """Seconds for ``text``, or None unless it is a duration using only ``units`` (and a sign if allowed)."""
    match = _GRAMMAR.fullmatch(text)
    if not match or (match.group(1) and not negative):
        return None
    total = 0
    for unit, amount in zip("dhms", match.groups()[1:], strict=True):
        if amount is not None:
            if unit not in units:
                return None
            total += int(amount) * _UNITS[unit]
    return -total if match.group(1) else total
