"""Shared wire helpers of the sandbox: the vendor-error exception, ids, and time formats.

Nothing here knows a vendor's operations; `ice.py` and `tencent.py` build on it.
"""

from __future__ import annotations

import base64
import hashlib
import time
import uuid
from typing import Any

ICE_TIME = "%Y-%m-%dT%H:%M:%SZ"


class ApiError(Exception):
    """A vendor-coded error. ``status`` matters only for ICE (Tencent always answers HTTP 200)."""

    def __init__(self, code: str, message: str, *, status: int = 400, headers: dict[str, str] | None = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.headers = headers or {}


def request_id() -> str:
    return str(uuid.uuid4()).upper()


def next_seq(data: dict[str, Any]) -> int:
    data["seq"] = int(data.get("seq", 0)) + 1
    return int(data["seq"])


def _digest(seed: int, kind: str, seq: int) -> bytes:
    # Ids come from a persisted counter, not from process-local randomness, so two processes
    # sharing one sandbox directory never mint the same id, and a seeded run replays exactly.
    return hashlib.sha512(f"livesnap-sandbox|{seed}|{kind}|{seq}".encode()).digest()


def ice_id(data: dict[str, Any], *, seed: int, kind: str) -> str:
    return _digest(seed, kind, next_seq(data)).hex()[:32]


def tencent_task_id(data: dict[str, Any], *, seed: int) -> str:
    raw = base64.b64encode(_digest(seed, "task", next_seq(data))).decode()
    return raw.replace("+", "Q").replace("/", "R").replace("=", "")[:57]


def ice_time(ts: float) -> str:
    return time.strftime(ICE_TIME, time.gmtime(int(ts)))


def parse_ice_time(text: str) -> float:
    import calendar

    return float(calendar.timegm(time.strptime(text, ICE_TIME)))
