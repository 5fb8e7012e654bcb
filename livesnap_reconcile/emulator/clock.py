"""The sandbox's business clock: the "now" that drives task states, task time rules and CreateTime.

It is *not* the clock used for signature skew checks: real clients sign with real time, so those
checks use the wall clock (see ``Emulator(auth_clock=...)``). This clock follows ``wall`` (real
time unless the caller pins business time) while running; tests and ``livesnap sandbox clock``
freeze it (``set``) or move it (``advance``). With a ``path`` its
setting lives in a small JSON file so that several processes sharing one sandbox directory agree.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from livesnap_reconcile.emulator.jsonfile import atomic_write_json, file_stamp


class Clock:
    """Business time as a float unix timestamp.

    State is ``frozen`` (a fixed instant, or None for "running") plus ``offset`` (added to real
    time while running). ``set`` freezes; ``advance`` moves a frozen clock or shifts a running one.
    """

    def __init__(self, now: float | None = None, *, path: str | os.PathLike[str] | None = None,
                 wall: Callable[[], float] = time.time) -> None:
        self._lock = threading.Lock()
        self._wall = wall
        self._frozen: float | None = float(now) if now is not None else None
        self._offset = 0.0
        self._path = Path(path) if path is not None else None
        self._stamp: tuple[int, ...] | None = None
        if self._path is not None:
            if now is not None:
                self._save()
            else:
                self._reload()

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def frozen(self) -> bool:
        with self._lock:
            self._reload()
            return self._frozen is not None

    def now(self) -> float:
        with self._lock:
            self._reload()
            if self._frozen is not None:
                return self._frozen
            return self._wall() + self._offset

    def set(self, ts: float) -> None:
        """Freeze business time at ``ts`` (unix seconds)."""
        with self._lock:
            self._frozen, self._offset = float(ts), 0.0
            self._save()

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._reload()
            if self._frozen is not None:
                self._frozen += float(seconds)
            else:
                self._offset += float(seconds)
            self._save()

    def reset(self) -> None:
        """Back to real time."""
        with self._lock:
            self._frozen, self._offset = None, 0.0
            self._save()

    # -- persistence -------------------------------------------------------------------------

    def _save(self) -> None:
        if self._path is None:
            return
        atomic_write_json(self._path, {"frozen": self._frozen, "offset": self._offset})
        st = self._path.stat()
        self._stamp = file_stamp(st)

    def _reload(self) -> None:
        # A stat per read is cheap; re-parse only when another process replaced the file.
        if self._path is None:
            return
        try:
            st = self._path.stat()
        except FileNotFoundError:
            return
        stamp = file_stamp(st)
        if stamp == self._stamp:
            return
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
            frozen, offset = data.get("frozen"), float(data.get("offset", 0.0))
        except (ValueError, AttributeError, TypeError) as exc:
            raise ValueError(f"sandbox clock file {self._path} is not valid JSON clock data") from exc
        self._frozen = float(frozen) if frozen is not None else None
        self._offset = offset
        self._stamp = stamp
