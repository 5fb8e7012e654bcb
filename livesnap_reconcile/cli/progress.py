"""The progress line on a terminal: one line on stderr, redrawn in place, at most `MAX_HZ` times a second.

stderr, so what stdout carries (a plan, JSON) stays clean when piped. Shown when stderr is a
terminal, or when `--progress` asks for it; `--no-progress` silences it and the notes.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import TextIO

from livesnap_reconcile.core.progress import Meter, NullProgress, Progress
from livesnap_reconcile.ops.options import GlobalOptions

MAX_HZ = 10
TICK = 0.5  # seconds: a phase without counts (a long load) still shows its time going by
ERASE = "\r\x1b[K"  # back to column 0, erase to the end of the line


class TtyProgress:
    """`Progress` drawn as one line on ``stream``; thread-safe (refresh workers report at once)."""

    def __init__(self, stream: TextIO, *, clock: Callable[[], float] = time.monotonic, max_hz: float = MAX_HZ,
                 tick: float | None = TICK) -> None:
        self._stream = stream
        self._tick = tick
        self._ticking: threading.Event | None = None
        self._clock = clock
        self._interval = 1.0 / max_hz
        self._lock = threading.Lock()
        self._meter = Meter(clock)
        self._active = False  # a phase is on
        self._shown = False  # the line is on the screen
        self._drawn_at: float | None = None

    def note(self, text: str) -> None:
        with self._lock:
            self._write(ERASE if self._shown else "")
            self._write(text + "\n")
            self._shown = False
            if self._active:
                self._draw()

    def phase(self, name: str, *, total: int | None = None, unit: str = "") -> None:
        with self._lock:
            self._meter.start(name, total=total, unit=unit)
            self._active = True
            self._draw()
            if self._tick and self._ticking is None:
                self._ticking = threading.Event()
                threading.Thread(target=self._ticker, args=(self._ticking, self._tick), daemon=True,
                                 name="progress").start()

    def expect(self, more: int) -> None:
        with self._lock:
            self._meter.expect(more)

    def advance(self, count: int = 1) -> None:
        with self._lock:
            self._meter.advance(count)
            if self._active and (self._drawn_at is None or self._clock() - self._drawn_at >= self._interval):
                self._draw()

    def above(self, write: Callable[[], None]) -> None:
        """Erase the line, run ``write``, leave the line to the next draw (still at most `MAX_HZ`)."""
        with self._lock:
            if self._shown:
                self._write(ERASE)
                self._shown = False
            write()

    def finish(self) -> None:
        with self._lock:
            if self._shown:
                self._write(ERASE)
            self._active = self._shown = False
            if self._ticking is not None:
                self._ticking.set()
                self._ticking = None

    def _ticker(self, stop: threading.Event, every: float) -> None:
        while not stop.wait(every):
            with self._lock:
                if self._active and not stop.is_set() and (
                        self._drawn_at is None or self._clock() - self._drawn_at >= self._interval):
                    self._draw()

    def _draw(self) -> None:
        self._write(ERASE + self._meter.line())
        self._shown = True
        self._drawn_at = self._clock()

    def _write(self, text: str) -> None:
        if text:
            self._stream.write(text)
            self._stream.flush()


def wants_progress(opts: GlobalOptions, stream: TextIO) -> bool:
    """--progress / --no-progress, else on when ``stream`` is a terminal."""
    return opts.progress if opts.progress is not None else stream.isatty()


def tty_progress(opts: GlobalOptions, stream: TextIO | None = None) -> Progress:
    """The reporter for a command: the line on stderr, or nothing when piped or captured."""
    stream = sys.stderr if stream is None else stream
    return TtyProgress(stream) if wants_progress(opts, stream) else NullProgress()
