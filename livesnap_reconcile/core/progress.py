"""Progress of long work (load, refresh, apply) for a person watching: the reporter and its meter.

Workflows report through a `Progress`: a phase with an optional total, counts as they come (from
any thread), and one-line notes. What a user sees is the CLI's business (`cli.progress` draws one
line on a terminal); everything else gets `NullProgress`. `Meter` turns counts into the line's
text (phase, done/total, rate, ETA) on an injected clock; it prints nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class Progress(Protocol):
    def note(self, text: str) -> None:
        """A line to keep (e.g. "Refreshed provider css: 12 object(s)")."""
        ...

    def phase(self, name: str, *, total: int | None = None, unit: str = "") -> None:
        """Start a phase: ``total`` units of work if known; counts start at 0."""
        ...

    def expect(self, more: int) -> None:
        """The current phase has ``more`` units to do than said so far (refresh learns it per provider)."""
        ...

    def advance(self, count: int = 1) -> None:
        """``count`` more units done. Thread-safe."""
        ...

    def above(self, write: Callable[[], None]) -> None:
        """Run ``write`` (output of its own to the same terminal) with the line out of its way."""
        ...

    def finish(self) -> None:
        """The phase is over: erase the line."""
        ...


class NullProgress:
    """Reports nowhere: piped output, tests, programs."""

    def note(self, text: str) -> None:
        pass

    def phase(self, name: str, *, total: int | None = None, unit: str = "") -> None:
        pass

    def expect(self, more: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass

    def above(self, write: Callable[[], None]) -> None:
        write()

    def finish(self) -> None:
        pass


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


class Meter:
    """Counts of one phase at a time, and the progress line they make. Not thread-safe by itself."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.name = ""
        self.unit = ""
        self.total: int | None = None
        self.done = 0
        self.started = clock()

    def start(self, name: str, *, total: int | None = None, unit: str = "") -> None:
        self.name, self.unit, self.total, self.done = name, unit, total, 0
        self.started = self._clock()

    def expect(self, more: int) -> None:
        self.total = (self.total or 0) + max(0, more)

    def advance(self, count: int = 1) -> None:
        self.done += count

    def line(self) -> str:
        """``refresh: 4,200/10,000 objects, 1,234/s, ETA 5s`` (the parts that are known)."""
        elapsed = max(0.0, self._clock() - self.started)
        unit = f" {self.unit}" if self.unit else ""
        parts = []
        if self.total:
            parts.append(f"{self.done:,}/{self.total:,}{unit}")
        elif self.done or self.unit:
            parts.append(f"{self.done:,}{unit}")
        rate = self.done / elapsed if elapsed > 0 else 0.0
        if self.done and rate > 0:
            parts.append(f"{rate:,.0f}/s" if rate >= 10 else f"{rate:.1f}/s")
        if self.total and rate > 0 and self.done < self.total:
            parts.append(f"ETA {_duration((self.total - self.done) / rate)}")
        else:
            parts.append(_duration(elapsed))
        return f"{self.name}: {', '.join(parts)}"
