"""One version of the state in a backend's history: which serial, when, by whom, for what.

Frozen data only. `postgres.py` keeps a row per serial (bounded by its retention); the local file
backend can offer the current file and its backup. `livesnap state history` renders these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Version:
    """``written_at`` is ISO 8601 UTC; ``who``/``operation`` are empty when not recorded."""

    serial: int
    lineage: str
    written_at: str
    who: str
    operation: str
    resources: int
    added: int = 0
    changed: int = 0
    removed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"serial": self.serial, "lineage": self.lineage, "written_at": self.written_at,
                "who": self.who, "operation": self.operation, "resources": self.resources,
                "added": self.added, "changed": self.changed, "removed": self.removed}
