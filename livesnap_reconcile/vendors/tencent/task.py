"""The Tencent screenshot task: one occurrence of a window, self-expiring at its ``end``.

A task carries no name, so it is matched by what it captures (domain, app, stream, end and
template) and can never be reported as "ours but unknown". An occurrence already in progress is
created "from now", so its recorded ``start`` is later than the scheduled one: ``start`` is never
compared, and adoption accepts a remote start up to `RESOLVE_SLACK` before the scheduled one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from livesnap_reconcile.core.reasons import Because, Reason
from livesnap_reconcile.resources import RemoteObject
from livesnap_reconcile.vendors.kind_spec import Attributes, KindSpec, Retirement, StatusDrift

RESOLVE_SLACK = 60  # seconds a task's remote start may precede its scheduled start and still match


class TaskSpec(KindSpec):
    kind = "task"
    immutable = ("domain", "app", "stream", "end", "template", "scheduled_start")
    ignored = frozenset({"start", "scheduled_start"})
    desired_only = ("scheduled_start",)
    shape = {"domain": (str,), "app": (str,), "stream": (str,), "start": (int,), "end": (int,),
             "template": (Mapping,)}
    reference_field = "template"

    def identity(self, attributes: Attributes) -> tuple[Any, ...]:
        template = attributes.get("template") or {}
        return (attributes.get("domain"), attributes.get("app"), attributes.get("stream"),
                attributes.get("end"), template.get("id"))

    def compare_pair(self, recorded: Attributes, desired: Attributes) -> tuple[dict[str, Any], dict[str, Any]]:
        before, after = super().compare_pair(recorded, desired)
        # scheduled_start is part of the address; compare it only when both sides know it.
        if "scheduled_start" in recorded and "scheduled_start" in desired:
            before["scheduled_start"], after["scheduled_start"] = recorded["scheduled_start"], desired["scheduled_start"]
        return before, after

    def ended(self, attributes: Attributes, now: int) -> bool:
        return int(attributes.get("end", 0)) <= now

    def status_drift(self, recorded: Attributes, obj: RemoteObject, now: int) -> StatusDrift | None:
        if obj.status == "stopped" and not self.ended(recorded, now):
            return StatusDrift("stopped", f"task {obj.remote_id} was stopped", final=True)
        return None

    def adoptable(self, obj: RemoteObject, desired: Attributes) -> bool:
        early = int(obj.attributes.get("start", 0)) < int(desired.get("scheduled_start", 0)) - RESOLVE_SLACK
        return obj.status != "stopped" and not early

    def adoption_misfit(self, obj: RemoteObject, desired: Attributes) -> int:
        # Identity leaves the start out (an occurrence in progress is created "from now"), so
        # snapshots ending together match each other's tasks: the one whose start is closest
        # to this occurrence's scheduled start is its own; a later one belongs to a later window.
        scheduled = int(desired.get("scheduled_start", desired.get("start", 0)) or 0)
        return abs(int(obj.attributes.get("start", 0)) - scheduled)

    def retirement(self, recorded: Attributes, obj: RemoteObject | None, *, gone: bool, now: int) -> Retirement:
        if self.ended(recorded, now):
            return Retirement(True, Because(Reason.OCCURRENCE_ENDED, "occurrence has ended"))
        if obj is not None and obj.status in ("stopped", "finished"):
            return Retirement(True, Because(Reason.ALREADY_STOPPED, f"task is {obj.status} and no longer desired"))
        return super().retirement(recorded, obj, gone=gone, now=now)

    def not_importable(self, obj: RemoteObject) -> str | None:
        if obj.status in ("stopped", "finished"):
            return f"is {obj.status} and Tencent cannot restart it"
        return None

    def replace_reason(self, obj: RemoteObject | None) -> Because | None:
        if obj is not None and obj.status == "stopped":
            return Because(Reason.STOPPED_OUTSIDE, "stopped outside livesnap while its window is open; recreate from now")
        return None
