"""Client-side pacing: a thread-safe token bucket per (provider, action group) and the backoff policy.

Owns: how long to wait before a request (bucket) and before a retry (exponential backoff with full
jitter, or the vendor's retry-after). It must not know vendors, errors or HTTP; time and sleep are
injected so tests run instantly.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass


class TokenBucket:
    """Allow ``rate`` acquisitions per second on average, at most ``burst`` back to back.

    Reservation style: a caller takes a token even when the bucket is empty (the balance goes
    negative) and sleeps outside the lock until its slot comes, so concurrent callers are
    served in arrival order and never oversubscribe the rate.
    """

    def __init__(
        self,
        rate: float,
        *,
        burst: float = 1.0,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> None:
        if rate <= 0:
            raise ValueError(f"rate must be positive, got {rate!r}")
        self.rate = float(rate)
        self.burst = max(1.0, float(burst))
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = self.burst
        self._stamp: float | None = None

    def acquire(self) -> float:
        """Take one token, sleeping as long as needed; returns the time waited."""
        with self._lock:
            now = self._clock()
            if self._stamp is not None:
                self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            self._tokens -= 1.0
            wait = 0.0 if self._tokens >= 0 else -self._tokens / self.rate
        if wait > 0:
            self._sleep(wait)
        return wait


class Buckets:
    """One bucket per action group, created on first use at the group's rate."""

    def __init__(
        self,
        rates: dict[str, float],
        *,
        default_rate: float,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> None:
        self._rates = dict(rates)
        self._default = default_rate
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._buckets: dict[str, TokenBucket] = {}

    def get(self, group: str) -> TokenBucket:
        with self._lock:
            bucket = self._buckets.get(group)
            if bucket is None:
                rate = self._rates.get(group, self._default)
                bucket = TokenBucket(rate, clock=self._clock, sleep=self._sleep)
                self._buckets[group] = bucket
            return bucket


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with full jitter (AWS style), capped; a vendor retry-after wins."""

    base: float = 0.2
    cap: float = 10.0

    def delay(self, attempt: int, *, rng: random.Random, retry_after: float | None = None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        ceiling = min(self.cap, self.base * (2 ** (attempt - 1)))
        jittered = rng.uniform(0, ceiling)
        if retry_after is not None and retry_after > 0:
            # The vendor knows when capacity returns; add a little jitter so parallel
            # workers do not all come back in the same millisecond.
            return min(self.cap, retry_after) + rng.uniform(0, min(0.05, ceiling))
        return jittered
