"""Diagnostics: one located problem in a manifest, and how manifest paths are spelled.

Owns the `Diagnostic` value (severity, file, line, column, manifest path, message) shared by the
loader and the validator, and its text and JSON forms. It must not know how problems are found;
it imports nothing heavier than the standard library so the CLI can import it cheaply.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]
PathKey = str | int
ManifestPath = tuple[PathKey, ...]


def format_path(path: Sequence[PathKey]) -> str:
    """``("streams", "lobby", "snapshots", "x", "schedule", "days", 2)`` -> ``streams.lobby....days[2]``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


class Diagnostic(NamedTuple):
    """A problem at ``file:line:column`` (1-based); ``path`` is the dotted manifest path or ``""``."""

    severity: Severity
    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        where = f" (at {self.path})" if self.path else ""
        return f"{self.file}:{self.line}:{self.column}: {prefix}{self.message}{where}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
        }


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted by file, line, column, then path and message; exact duplicates removed."""
    return sorted(set(diagnostics), key=_sort_key)


def _sort_key(d: Diagnostic) -> tuple[str, int, int, str, str, str]:
    return (d.file, d.line, d.column, d.path, d.message, d.severity)


def short(value: object, limit: int = 40) -> str:
    """A value quoted for a message, truncated so a stray blob never floods the output."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
