"""The options every command shares, as plain values (the CLI fills them from its flags)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class GlobalOptions:
    state: str | None  # a file path or a postgresql:// URL, as given
    sandbox: bool
    lock_timeout: float
    color: bool
    verbose: bool
    progress: bool | None = None  # the progress line: on, off, or None (on when stderr is a terminal)
