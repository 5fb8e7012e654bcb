"""Screenshot task addresses: ``task.<stream>.<snapshot>[<UTC scheduled start>]``. Pure."""

from __future__ import annotations

from livesnap_reconcile.core.timeutil import format_task_stamp


def task_address(stream: str, snapshot: str, start: int) -> str:
    """``task.<stream>.<snapshot>[2026-11-25T11:00Z]``; ``start`` is the *scheduled* start."""
    return task_prefix(stream, snapshot) + task_stamp(start)


def task_prefix(stream: str, snapshot: str) -> str:
    return f"task.{stream}.{snapshot}"


def task_stamp(start: int) -> str:
    return f"[{format_task_stamp(start)}]"
