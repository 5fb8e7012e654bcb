"""Business time: the one place a command learns what "now" is.

Every command that expands a manifest, plans, checks a saved plan's age or stamps state asks
`business_now()` once through its composition root, and passes the instant down; nothing below
the CLI reads a clock for business decisions (signatures, pacing and timeouts use real time, which
vendors and sockets live by, and are not business time).

``LIVESNAP_NOW`` (unix seconds, or ISO 8601 with an offset) pins business time for tests and for
reproducing a user's plan as of a given moment. It is deliberately not in the user docs: it
changes what a plan wants, never how requests are signed.
"""

from __future__ import annotations

import os
import time
from datetime import datetime

from livesnap_reconcile.errors import LivesnapError

NOW_VARIABLE = "LIVESNAP_NOW"


def business_now() -> int:
    """Unix seconds: ``LIVESNAP_NOW`` when set, else the wall clock."""
    pinned = os.environ.get(NOW_VARIABLE, "").strip()
    return parse_instant(pinned) if pinned else int(time.time())


def parse_instant(text: str) -> int:
    """``1764000000`` or ``2026-11-25T10:00:00+08:00`` -> unix seconds; a clear error otherwise."""
    if text.lstrip("-").isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise LivesnapError(f"{NOW_VARIABLE}={text!r} is not unix seconds or an ISO 8601 time with an offset")
    return int(moment.timestamp())
