"""Tencent Cloud Live (2018-08-01) screenshot tasks and snapshot templates, as the sandbox models them.

Each action takes the request parameters (JSON body, or query strings for GET) and a store
transaction, checks them against a typed spec (MissingParameter / UnknownParameter /
InvalidParameterValue), applies the documented rules, and returns the response fields. Task state
(pending, running, finished, stopped) is derived from the business clock, never stored.
"""

from __future__ import annotations

import base64
import bisect
import json
import re
from typing import Any

from livesnap_reconcile.emulator.store import Txn
from livesnap_reconcile.emulator.views import between, cached, ordered
from livesnap_reconcile.emulator.wire import ApiError, tencent_task_id

VERSION = "2018-08-01"
DAY, WEEK = 86400, 7 * 86400
PAGE_SIZE = 100
MAX_RUNNING = 3
MAX_TEMPLATES = 50
_NAME = re.compile(r"^[A-Za-z0-9_\-\u4e00-\u9fa5]+$")
_U64 = 2**64 - 1

Spec = dict[str, tuple[str, bool]]  # name -> (type: "str" | "int", required)


def coerce(params: dict[str, Any], spec: Spec) -> dict[str, Any]:
    for name in params:
        if name not in spec:
            raise ApiError("UnknownParameter", f"The parameter `{name}` is not recognized.")
    out: dict[str, Any] = {}
    for name, (kind, required) in spec.items():
        value = params.get(name)
        if value is None:
            if required:
                raise ApiError("MissingParameter", f"The parameter `{name}` is required.")
            continue
        out[name] = _typed(name, value, kind)
    return out


def _typed(name: str, value: Any, kind: str) -> Any:
    if kind == "str":
        if not isinstance(value, str):
            raise ApiError("InvalidParameterValue", f"The parameter `{name}` must be a string.")
        return value
    # The official examples send numbers as strings ("10"): the service coerces them.
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ApiError("InvalidParameterValue", f"The parameter `{name}` must be an integer.")
    try:
        number = int(value)
    except ValueError:
        raise ApiError("InvalidParameterValue", f"The parameter `{name}` must be an integer.") from None
    if not 0 <= number <= _U64:
        raise ApiError("InvalidParameterValue", f"The parameter `{name}` is out of range.")
    return number


def state(task: dict[str, Any], now: float) -> str:
    """A task's own state from the clock; `states` adds the per-stream running limit."""
    if task["Stopped"]:
        return "stopped"
    if now < task["StartTime"]:
        return "pending"
    if now >= task["EndTime"]:
        return "finished"
    return "running"


def _stream(task: dict[str, Any]) -> tuple[str, str, str]:
    return (task["DomainName"], task["AppName"], task["StreamName"])


def states(tasks: list[dict[str, Any]], now: float) -> dict[str, str]:
    """Every task's state, where a due task beyond the first 3 on its stream is ``queued``.

    The docs say overlapping tasks are to be avoided and the system *starts* at most 3 of them:
    a 4th is accepted (Create succeeds) but does not run while 3 others run on its stream. Which
    ones run is undocumented; the sandbox runs the earliest-starting (then the first created),
    so a queued task runs once a slot frees inside its own window.
    """
    out = {t["TaskId"]: state(t, now) for t in tasks}
    due: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for t in tasks:
        if out[t["TaskId"]] == "running":
            due.setdefault(_stream(t), []).append(t)
    for group in due.values():
        group.sort(key=lambda t: (t["StartTime"], t["_seq"]))
        for t in group[MAX_RUNNING:]:
            out[t["TaskId"]] = "queued"
    return out


def public_task(task: dict[str, Any]) -> dict[str, Any]:
    keys = ("TaskId", "DomainName", "AppName", "StreamName", "StartTime", "EndTime", "TemplateId", "Stopped")
    return {k: task[k] for k in keys}


# -- tasks ----------------------------------------------------------------------------------------

def _check_times(start: int, end: int, now: float) -> None:
    problems = [(end <= start, "EndTime must be later than StartTime"),
                (end <= now, "EndTime must be later than now"),
                (end >= now + WEEK, "EndTime must be earlier than now + 7 days"),
                (end - start > DAY, "a task may last at most 24 hours"),
                (start > now + 6 * DAY, "StartTime must be at most now + 6 days")]
    for bad, message in problems:
        if bad:
            raise ApiError("InvalidParameter", f"task time out of limit: {message}.")


def create_task(p: dict[str, Any], txn: Txn, *, now: float, seed: int) -> dict[str, Any]:
    p = coerce(p, {"StreamName": ("str", True), "DomainName": ("str", True), "AppName": ("str", True),
                   "EndTime": ("int", True), "TemplateId": ("int", True), "StartTime": ("int", False),
                   "StreamType": ("int", False), "Extension": ("str", False)})
    for key in ("StreamName", "DomainName", "AppName"):
        if not p[key]:
            raise ApiError("InvalidParameterValue", f"The parameter `{key}` must not be empty.")
    if p.get("StreamType", 0) not in (0, 1):
        raise ApiError("InvalidParameterValue", "StreamType must be 0 or 1.")
    start, end = p.get("StartTime", int(now)), p["EndTime"]
    _check_times(start, end, now)
    # Overlap is not refused: a 4th overlapping task is accepted and queued (see `states`).
    stream = (p["DomainName"], p["AppName"], p["StreamName"])
    task_id = tencent_task_id(txn.data, seed=seed)
    txn.data["tencent"]["tasks"][task_id] = {
        "TaskId": task_id, "DomainName": stream[0], "AppName": stream[1], "StreamName": stream[2],
        "StartTime": start, "EndTime": end, "TemplateId": p["TemplateId"], "Stopped": 0,
        "StreamType": p.get("StreamType", 0), "Extension": p.get("Extension", ""), "_seq": txn.data["seq"]}
    txn.wrote = True
    return {"TaskId": task_id}


def _token(key: tuple[int, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def _untoken(token: str) -> tuple[int, str]:
    try:
        start, task_id = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        return int(start), str(task_id)
    except (ValueError, TypeError):
        raise ApiError("InvalidParameterValue", "ScrollToken is not valid.") from None


def describe_tasks(p: dict[str, Any], txn: Txn, *, now: float, seed: int) -> dict[str, Any]:
    p = coerce(p, {"StartTime": ("int", True), "EndTime": ("int", True), "StreamName": ("str", False),
                   "DomainName": ("str", False), "AppName": ("str", False), "ScrollToken": ("str", False)})
    start, end = p["StartTime"], p["EndTime"]
    if end <= start:
        raise ApiError("InvalidParameter", "EndTime must be later than StartTime.")
    if end - start > WEEK:
        raise ApiError("InvalidParameter", "the query window may span at most 7 days.")
    if start < now - 90 * DAY:
        raise ApiError("InvalidParameter", "StartTime must not be more than 90 days ago.")
    after = _untoken(p["ScrollToken"]) if p.get("ScrollToken") else None
    filters = tuple((k, p[k]) for k in ("StreamName", "DomainName", "AppName") if p.get(k) is not None)
    hits = _contained(txn, start, end, filters)
    first = bisect.bisect_right(hits, after, key=_order) if after is not None else 0
    # One page, and one more task to know whether a token is due.
    page = hits[first:first + PAGE_SIZE + 1]
    token = _token((page[PAGE_SIZE - 1]["StartTime"], page[PAGE_SIZE - 1]["TaskId"])) if len(page) > PAGE_SIZE else ""
    page = page[:PAGE_SIZE]
    return {"ScrollToken": token, "TaskList": [public_task(t) for t in page]}


def _order(task: dict[str, Any]) -> tuple[int, str]:
    return task["StartTime"], task["TaskId"]


def _start(task: dict[str, Any]) -> int:
    return int(task["StartTime"])


def _contained(txn: Txn, start: int, end: int, filters: tuple[tuple[str, Any], ...]) -> list[dict[str, Any]]:
    """The tasks whose whole [StartTime, EndTime] lies inside the window, by (StartTime, TaskId).

    Built once per window and filters from a view of all tasks by start (every task ends after
    it starts, as CreateScreenshotTask requires), so each later page costs a page, not the store.
    """
    def build() -> list[dict[str, Any]]:
        tasks = ordered(txn.views, "tencent-tasks", txn.data["tencent"]["tasks"].values(), _order)
        return [t for t in between(tasks, start, end, _start)
                if t["EndTime"] <= end and all(t[k] == v for k, v in filters)]

    return cached(txn.views, ("tencent-contained", start, end, filters), build)


def _task(txn: Txn, p: dict[str, Any]) -> dict[str, Any]:
    p = coerce(p, {"TaskId": ("str", True)})
    task = txn.data["tencent"]["tasks"].get(p["TaskId"])
    if task is None:
        raise ApiError("InvalidParameter", "the task does not exist.")
    return task


def stop_task(p: dict[str, Any], txn: Txn, *, now: float, seed: int) -> dict[str, Any]:
    task = _task(txn, p)
    if not task["Stopped"]:
        task["Stopped"] = int(now)
        txn.wrote = True
    return {}


def delete_task(p: dict[str, Any], txn: Txn, *, now: float, seed: int) -> dict[str, Any]:
    task = _task(txn, p)
    del txn.data["tencent"]["tasks"][task["TaskId"]]
    txn.wrote = True
    return {}


# The task actions are documented for Region ap-guangzhou only; other regions are refused.
TASK_REGION = "ap-guangzhou"
_TASK_ACTIONS = ("CreateScreenshotTask", "DescribeScreenshotTask", "StopScreenshotTask", "DeleteScreenshotTask")


def check_region(action: str, region: str | None) -> None:
    if action in _TASK_ACTIONS and region and region != TASK_REGION:
        raise ApiError("UnsupportedRegion", f"{action} is only available in region {TASK_REGION}.")
