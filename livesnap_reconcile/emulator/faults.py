"""Fault injection for the sandbox: rate limits, added latency, failures and commit-then-drop.

`Faults` is plain frozen configuration; `FaultState` holds what changes while serving (token
buckets, the seeded random generator), so one seed replays the same outcomes for the same
sequence of requests. Vendor error shapes are not built here: the emulator asks "throttle? fail?
drop?" and answers in the vendor's own format.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

VENDORS = ("alibaba", "tencent")
DROP_MODES = ("disconnect", "error")
# Documented limits: Tencent task actions 20/s (templates: CreateLiveSnapshotTemplate 200/s);
# ICE publishes no QPS, 100/s is the comparable products' figure.
DEFAULT_RPS = {"alibaba": 100.0, "tencent": 20.0}
DEFAULT_ACTION_RPS = {("tencent", "CreateLiveSnapshotTemplate"): 200.0}


@dataclass(frozen=True)
class FaultRule:
    """Per-vendor or per-action override; None inherits from the next level up."""

    rps: float | None = None
    latency_ms: float | None = None
    fail_rate: float | None = None
    drop_rate: float | None = None


@dataclass(frozen=True)
class Resolved:
    rps: float | None
    latency_ms: float
    fail_rate: float
    drop_rate: float


@dataclass(frozen=True)
class Faults:
    """Fault configuration.

    ``rps`` replaces every documented default limit when set (0 = unlimited); ``default_limits=False``
    switches the documented defaults off. ``rules`` keys are ``"tencent"``, ``"alibaba"`` or
    ``"<vendor>:<Action>"`` (most specific wins, field by field). ``drop_rate`` is the chance that a
    *committed write* loses its answer: the connection is cut (``drop_mode="disconnect"``) or a 5xx /
    ``InternalError`` is returned (``drop_mode="error"``).
    """

    rps: float | None = None
    latency_ms: float = 0.0
    fail_rate: float = 0.0
    drop_rate: float = 0.0
    drop_mode: str = "disconnect"
    default_limits: bool = True
    rules: Mapping[str, FaultRule] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("fail_rate", "drop_rate"):
            _check_rate(name, getattr(self, name))
        if self.latency_ms < 0:
            raise ValueError("latency_ms must be >= 0")
        if self.rps is not None and self.rps < 0:
            raise ValueError("rps must be >= 0 (0 = unlimited)")
        if self.drop_mode not in DROP_MODES:
            raise ValueError(f"drop_mode must be one of {DROP_MODES}, not {self.drop_mode!r}")
        for key, rule in self.rules.items():
            if key.split(":", 1)[0] not in VENDORS:
                raise ValueError(f"fault rule key {key!r} must be '<vendor>' or '<vendor>:<Action>'")
            for name in ("fail_rate", "drop_rate"):
                if getattr(rule, name) is not None:
                    _check_rate(f"{key}.{name}", getattr(rule, name))

    def resolve(self, vendor: str, action: str) -> Resolved:
        chain = [r for r in (self.rules.get(f"{vendor}:{action}"), self.rules.get(vendor)) if r is not None]

        def pick(name: str, fallback: float | None) -> float | None:
            for rule in chain:
                value = getattr(rule, name)
                if value is not None:
                    return float(value)
            return fallback

        rps = pick("rps", self.rps if self.rps is not None else self._default_rps(vendor, action))
        return Resolved(rps=rps or None, latency_ms=pick("latency_ms", self.latency_ms) or 0.0,
                        fail_rate=pick("fail_rate", self.fail_rate) or 0.0,
                        drop_rate=pick("drop_rate", self.drop_rate) or 0.0)

    def _default_rps(self, vendor: str, action: str) -> float | None:
        if not self.default_limits:
            return None
        return DEFAULT_ACTION_RPS.get((vendor, action), DEFAULT_RPS.get(vendor))


def _check_rate(name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1, not {value!r}")


class TokenBucket:
    """Capacity ``rps`` tokens, refilled at ``rps`` per second. A client pacing at exactly the limit
    keeps the bucket near full, so network jitter between its requests does not get it throttled."""

    def __init__(self, rps: float, now: float) -> None:
        self.rps = rps
        self.capacity = max(1.0, rps)
        self.tokens = self.capacity
        self.at = now

    def take(self, now: float) -> float:
        """Take one token; return 0.0 on success, else the seconds until one is available."""
        self.tokens = min(self.capacity, self.tokens + max(0.0, now - self.at) * self.rps)
        self.at = max(self.at, now)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rps


class FaultState:
    """The live side of `Faults`: buckets per (vendor, action) and one seeded generator."""

    def __init__(self, faults: Faults, *, seed: int) -> None:
        self.faults = faults
        self._rng = random.Random(seed)
        self._buckets: dict[tuple[str, str], TokenBucket] = {}
        self._lock = threading.Lock()

    def throttle(self, vendor: str, action: str, rule: Resolved, *, now: float) -> float:
        """0.0 if the request may pass, else the suggested wait in seconds."""
        if not rule.rps:
            return 0.0
        with self._lock:
            bucket = self._buckets.get((vendor, action))
            if bucket is None or bucket.rps != rule.rps:
                bucket = self._buckets[(vendor, action)] = TokenBucket(rule.rps, now)
            return bucket.take(now)

    def roll(self, rate: float) -> bool:
        if rate <= 0.0:
            return False
        with self._lock:
            return self._rng.random() < rate
