"""Tencent's international site: screenshot tasks can be created there, but not listed, stopped or deleted.

Its SDK and CLI spec publish ``CreateScreenshotTask`` and none of ``DescribeScreenshotTask``,
``StopScreenshotTask`` or ``DeleteScreenshotTask``. So a provider on that site reports its tasks as
state recorded them (their status follows from their times), never as deleted outside livesnap,
and tells the plan which changes cannot be made there (`LIMITS`).
"""

from __future__ import annotations

from livesnap_reconcile.providers.base import Limits
from livesnap_reconcile.providers.tencent import model
from livesnap_reconcile.resources import RefreshQuery, RemoteObject

_NO_STOP = ("Tencent's international site has no StopScreenshotTask or DeleteScreenshotTask, so the "
            "task runs until its end")
LIMITS = Limits(
    why="Tencent's international site has no DescribeScreenshotTask",
    unreadable=("task",),
    unavailable={("task", "delete"): _NO_STOP, ("task", "replace"): _NO_STOP + " and a second one would "
                 "capture the stream beside it"},
)
UNKNOWN_CREATE = ("the answer to CreateScreenshotTask was lost and Tencent's international site cannot list "
                  "tasks to check whether it was created; not retried, so no second task is made. Check in the "
                  "console whether it exists before applying again")


def recorded_tasks(query: RefreshQuery, *, provider: str, now: int) -> list[RemoteObject]:
    """The tasks state knows, as it recorded them (the vendor cannot be asked)."""
    out = []
    for known in query.known:
        if known.kind != "task":
            continue
        a = known.attributes
        item = {"TaskId": known.remote_id, "DomainName": a.get("domain"), "AppName": a.get("app"),
                "StreamName": a.get("stream"), "StartTime": a.get("start"), "EndTime": a.get("end"),
                "TemplateId": (a.get("template") or {}).get("id", ""), "Stopped": 0}
        obj = model.task_object(item, provider=provider, now=now)
        out.append(RemoteObject(obj.kind, obj.provider, obj.remote_id, obj.attributes, obj.status,
                                {**obj.extra, "as_recorded": True}))
    return out
