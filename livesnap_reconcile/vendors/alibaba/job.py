"""The ICE live snapshot job: named by us, never deletable, started or paused as desired.

ICE has no delete: a job the manifest drops is stopped and forgotten, and a replaced job stays
visible, paused, next to its successor of the same name. ICE cannot rename either, so a job's
name is matched on for adoption but never compared. So a paused job is never revived by
adoption, a paused predecessor is not "unexpected", and forgetting a job counts as destroying it.
ICE copies its template's settings into a job (GetLiveSnapshotJob reports them), so a running job
is restarted when its template is updated (docs/vendor-behaviour.md, "ICE template updates").
A start that ICE answers with StreamNotFound leaves the job waiting for its stream: state marks it
(``WAITING``), and plans retry the start as "waiting for the stream", not as drift or a failure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from livesnap_reconcile.core.reasons import Because, Reason
from livesnap_reconcile.resources import RemoteObject
from livesnap_reconcile.vendors.alibaba.jobname import job_name_prefix
from livesnap_reconcile.vendors.kind_spec import Attributes, KindSpec, Retirement, StatusDrift

# Recorded on a job whose last start or restart found its stream not live (never sent to ICE).
WAITING = "waiting_for_stream"
WAITING_NOTE = ("waiting for its stream to go live: ICE answered the start with StreamNotFound; "
                "the next apply starts it again")
# Recorded on a running job before its template is updated, until the job is restarted.
RESTART_DUE = "restart_due"



def _running(current: Attributes, desired: Attributes) -> bool:
    """Running and to stay so: only such a job needs a restart (one not running picks the
    template up when it starts)."""
    return current.get("status") == "started" and desired.get("status") == "started"


def _paused(attributes: Attributes) -> bool:
    return attributes.get("status") == "paused"


class JobSpec(KindSpec):
    kind = "job"
    immutable = ("rtmp_url", "output", "template", "callback_url")
    # ICE cannot rename a job, and our JobName only derives from the fields above (namespace,
    # address and their digest), so the name alone is never a difference: a job imported from
    # the console keeps its own name, recorded as the vendor has it.
    ignored = frozenset({"status", "name", WAITING, RESTART_DUE})
    reference_field = "template"
    restart_marker = RESTART_DUE
    deletable = False
    shape = {"name": (str,), "rtmp_url": (str,), "output": (Mapping,), "template": (Mapping,),
             "callback_url": (str, None), "status": (str,)}
    retire_verb = "stopped"
    retire_note = "ICE has no delete"

    def owner_prefix(self, namespace: str) -> str | None:
        return job_name_prefix(namespace)

    def status_drift(self, recorded: Attributes, obj: RemoteObject, now: int) -> StatusDrift | None:
        was, is_now = recorded.get("status"), obj.attributes.get("status")
        if was == is_now or _not_started_yet(recorded, obj) or _waiting(recorded, obj):
            return None
        return StatusDrift(str(is_now), f"job {obj.remote_id} is {obj.status or is_now} (state says {was})")

    def adoptable(self, obj: RemoteObject, desired: Attributes) -> bool:
        # A paused job of the same name may be a stopped predecessor: never revive it.
        return not (_paused(obj.attributes) and not _paused(desired))

    def retirement(self, recorded: Attributes, obj: RemoteObject | None, *, gone: bool, now: int) -> Retirement:
        if gone:
            return Retirement(True, Because(Reason.DELETED_OUTSIDE, "deleted outside livesnap and no longer desired"))
        if obj is not None and _paused(obj.attributes):
            return Retirement(True, Because(Reason.ALREADY_STOPPED, "removed from the manifest; job is already stopped"))
        return Retirement(False, Because(Reason.REMOVED_FROM_MANIFEST, "removed from the manifest; ICE has no "
                                         "delete, so the job is stopped and forgotten"))

    def status_action(self, current: Attributes, desired: Attributes) -> str | None:
        if current.get("status") == desired.get("status"):
            return None
        return "start" if desired.get("status") == "started" else "stop"

    def status_reason(self, recorded: Attributes, obj: RemoteObject | None, desired: Attributes) -> Because:
        if obj is not None and _waiting(recorded, obj):
            return Because(Reason.WAITING_FOR_STREAM, WAITING_NOTE)
        if obj is not None and _not_started_yet(recorded, obj):
            return Because(Reason.DESIRED_STATUS, "job has not started yet (ICE reports init: a job starts "
                           "asynchronously, and only while its stream is live)")
        if obj is not None and obj.attributes.get("status") != recorded.get("status"):
            return Because(Reason.STATUS_CHANGED_OUTSIDE, f"job was {obj.attributes.get('status')} outside livesnap")
        return super().status_reason(recorded, obj, desired)

    def restart_reason(self, current: Attributes, desired: Attributes, reference: str, *,
                       changed: Sequence[str]) -> Because | None:
        if not _running(current, desired):
            return None
        if all(path.split(".", 1)[0] == "name" for path in changed):
            return None  # a renamed template (one imported from the console) takes no snapshot differently
        return Because(Reason.TEMPLATE_UPDATED, f"{reference} is updated in this plan; ICE copies a template "
                       "into a job when it starts, so the running job is restarted to take the change")

    def restart_still_due(self, current: Attributes, desired: Attributes, reference: str) -> Because | None:
        if not _running(current, desired):
            return None
        return Because(Reason.TEMPLATE_UPDATED, f"{reference} was updated by an earlier apply that did not "
                       "restart this job; ICE copies a template into a job when it starts")

    def waiting_note(self, attributes: Attributes) -> str | None:
        return WAITING_NOTE if attributes.get(WAITING) else None

    def retired_successor(self, obj: RemoteObject | None) -> bool:
        return obj is not None and _paused(obj.attributes)

    def unexpected(self, obj: RemoteObject, namespace: str) -> bool:
        return super().unexpected(obj, namespace) and not _paused(obj.attributes)  # a retired predecessor


def _waiting(recorded: Attributes, obj: RemoteObject) -> bool:
    """The last start found no live stream, and the job is still not running: not drift."""
    return bool(recorded.get(WAITING)) and obj.attributes.get("status") != "started"


def _not_started_yet(recorded: Attributes, obj: RemoteObject) -> bool:
    """``init`` is a job that never ran (ICE's own word), not one paused outside livesnap."""
    return obj.status == "init" and recorded.get("status") == "started"
