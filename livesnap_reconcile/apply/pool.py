"""How many changes to run at once when the user did not say: Little's law on each provider's pace.

A worker spends about one round trip per request, so keeping a provider at its rate limit needs
``rate x latency`` requests in flight. `HEADROOM` covers our own time per change (signing,
parsing, the state commit: ~6 ms next to a 50 ms round trip) and latency that varies; the pacer
holds the rate anyway, so a worker too many only waits for its token. The latency is the one the
provider observed (refresh has usually measured it before the first change); before any answer
`ASSUMED_LATENCY` stands in. The bounds keep a slow start from running serially and a slow vendor
from spawning hundreds of threads.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

HEADROOM = 2.0
ASSUMED_LATENCY = 0.25  # seconds: a cross-region cloud API call; errs on the side of more workers
MIN_WORKERS = 4
MAX_WORKERS = 64


def workers_for(paces: Iterable[tuple[float, float | None]], *, headroom: float = HEADROOM,
                floor: int = MIN_WORKERS, ceiling: int = MAX_WORKERS) -> int:
    """Workers that keep every (rate/s, latency s or None) provider busy, within [floor, ceiling]."""
    needed = sum(max(0.0, rate) * (ASSUMED_LATENCY if latency is None else max(0.0, latency)) * headroom
                 for rate, latency in paces)
    return max(floor, min(ceiling, math.ceil(needed)))
