"""JSON files for the sandbox's on-disk store and clock: atomic writes (the shared `core.atomic`), change stamps."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from livesnap_reconcile.core.atomic import atomic_write


def atomic_write_json(path: Path, data: Any) -> None:
    """Write ``data`` so readers see either the old file or the new one, never a torn write."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps(data, separators=(",", ":"), sort_keys=True).encode("utf-8"))


def file_stamp(st: os.stat_result) -> tuple[int, ...]:
    """Cheap change detector. The inode is part of it because every atomic write makes a new file,
    and mtime granularity alone can miss two quick writes of the same size."""
    return (st.st_ino, st.st_mtime_ns, st.st_size)
