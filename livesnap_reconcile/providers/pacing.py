"""Client-side pacing: a thread-safe token bucket per (provider, action group) and the backoff policy.

Owns: how long to wait before a request (bucket), how fast the bucket fills (the configured rate
until the vendor throttles, then the rate `AdaptiveRate` learns), and how long to wait before a
retry (exponential backoff with full jitter, or the vendor's retry-after). It must not know
vendors, errors or HTTP; time and sleep are injected so tests run instantly.
"""

from __future__ import annotations

import random
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

# AWS SDKs' adaptive retry mode (CUBIC): on throttling the rate drops to BETA x the rate the vendor
# was seen to accept; on success it grows back along a cubic curve, flat near that rate, steep beyond.
BETA = 0.7
CUBIC_SCALE = 0.4
MIN_RATE = 0.5  # requests per second; never pace slower than this
MEASURE_SPAN = 2.0  # seconds of successes that estimate the rate the vendor accepts
RECHECK = 0.25  # seconds a waiter sleeps at most between checks while the rate adapts
SLOWDOWN_ROUND = 1.0  # seconds after a cut in which further throttle answers do not cut again


class AdaptiveRate:
    """The rate a bucket fills at, learnt from throttle answers; never above the configured ``ceiling``.

    On a throttle the curve is re-anchored at what the vendor was seen to accept (``accepted``:
    successes per second just before), not at the rate we asked for, which may be far too high.
    """

    def __init__(self, ceiling: float) -> None:
        self.ceiling = float(ceiling)
        self.rate = self.ceiling
        self._max = self.ceiling  # the rate at the last throttle
        self._k = 0.0  # seconds the cubic curve takes to climb back to it
        self._throttled_at: float | None = None

    def throttled(self, now: float, *, accepted: float | None = None) -> float:
        self._max = max(MIN_RATE, min(self.rate, accepted) if accepted else self.rate)
        self._k = (self._max * (1 - BETA) / CUBIC_SCALE) ** (1 / 3)
        self._throttled_at = now
        self.rate = max(MIN_RATE, self._max * BETA)
        return self.rate

    def succeeded(self, now: float) -> float:
        if self._throttled_at is not None:
            t = now - self._throttled_at - self._k
            self.rate = min(self.ceiling, max(MIN_RATE, CUBIC_SCALE * t ** 3 + self._max))
        return self.rate


class TokenBucket:
    """Allow ``rate`` acquisitions per second on average, at most ``burst`` back to back.

    Reservation style: a caller takes a token even when the bucket is empty (the balance goes
    negative) and sleeps outside the lock until its slot comes, so concurrent callers are
    served in arrival order and never oversubscribe the rate. ``rate`` starts at the configured
    one and adapts (`throttled`, `succeeded`), never above it.
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
        self._earned = 0.0  # every token ever earned, uncapped: waiters' slots are measured in it
        self._stamp: float | None = None
        self.adaptive = AdaptiveRate(self.rate)
        self._slowed_at: float | None = None
        self._successes: deque[float] = deque()
        self._first_success: float | None = None

    def acquire(self) -> float:
        """Take one token, sleeping as long as needed; returns the time waited.

        A waiter's slot comes once the bucket has earned the tokens reserved ahead of it. While
        the rate adapts (below its ceiling) waiters re-check every `RECHECK` seconds, so a rate
        that rises again takes effect at once instead of after sleeps computed at a lower one.
        """
        with self._lock:
            self._refill(self._clock())
            self._tokens -= 1.0
            if self._tokens >= 0:
                return 0.0
            target = self._earned - self._tokens
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                self._refill(now)
                remaining = (target - self._earned) / self.rate
                adapting = self.rate < self.adaptive.ceiling
            if remaining <= 1e-9:
                return waited
            step = min(remaining, RECHECK) if adapting else remaining
            self._sleep(step)
            waited += step
            if step == remaining or self._clock() <= now:
                return waited  # slept the whole wait, or a clock that does not move: do not spin

    def now(self) -> float:
        """The bucket's clock: when a request is sent, for `throttled`."""
        return self._clock()

    def throttled(self, sent_at: float | None = None) -> None:
        """The vendor throttled a request sent at ``sent_at``: pace slower.

        One cut per round: answers to requests sent before the last cut, or within the second
        after it (while the vendor's own bucket is still refilling from the burst that overran
        it), say nothing about the new rate, so a run of them lowers the rate once.
        """
        with self._lock:
            now = self._clock()
            if self._slowed_at is not None and (
                    now < self._slowed_at + SLOWDOWN_ROUND or (sent_at is not None and sent_at <= self._slowed_at)):
                return
            self._slowed_at = now
            self._refill(now)
            self.rate = self.adaptive.throttled(now, accepted=self._accepted(now))

    def succeeded(self) -> None:
        """A request got through: probe back up towards the configured rate."""
        with self._lock:
            now = self._clock()
            self._successes.append(now)
            if self._first_success is None:
                self._first_success = now
            self._refill(now)
            self.rate = self.adaptive.succeeded(now)

    def _accepted(self, now: float) -> float | None:
        """Successes per second over the last ``MEASURE_SPAN`` seconds (None before any success)."""
        if self._first_success is None:
            return None
        while self._successes and self._successes[0] < now - MEASURE_SPAN:
            self._successes.popleft()
        return len(self._successes) / max(0.5, min(MEASURE_SPAN, now - self._first_success))

    def _refill(self, now: float) -> None:
        # Tokens earned so far are earned at the old rate; the new one counts from now.
        if self._stamp is not None:
            earned = max(0.0, now - self._stamp) * self.rate
            self._tokens = min(self.burst, self._tokens + earned)
            self._earned += earned
        self._stamp = max(now, self._stamp or now)


class Latency:
    """Seconds a request takes from send to answer, smoothed (EWMA); None before the first answer.

    Time spent waiting for a token is not in it: it measures the vendor, not our own pacing, so a
    worker pool sized from it does not grow just because its workers queue at the bucket.
    """

    WEIGHT = 0.2  # of the newest sample: a few answers move it, one slow answer does not

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value: float | None = None

    def observe(self, seconds: float) -> None:
        seconds = max(0.0, float(seconds))
        with self._lock:
            self._value = seconds if self._value is None else self._value + self.WEIGHT * (seconds - self._value)

    def seconds(self) -> float | None:
        with self._lock:
            return self._value


class Buckets:
    """One bucket per action group, created on first use at the group's rate; and the answers' latency."""

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
        self.latency = Latency()

    def rate(self) -> float:
        """Requests per second the fastest group may send now (a learnt rate once it was throttled)."""
        with self._lock:
            rates = {**self._rates, **{group: b.rate for group, b in self._buckets.items()}}
        return max(rates.values(), default=self._default)

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
