"""Turning SIGINT/SIGTERM into a clean stop request instead of killing the process mid-change."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def on_stop_signals(request_stop: Callable[[], None]) -> Iterator[None]:
    """While the block runs, SIGTERM/SIGINT call ``request_stop`` (main thread only).

    A second signal is not swallowed: the previous handlers are back in place after the first,
    so a user who insists can still interrupt at once.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[signal.Signals, Any] = {}

    def handler(signum, frame) -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)
        request_stop()

    previous.update({sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)})
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
