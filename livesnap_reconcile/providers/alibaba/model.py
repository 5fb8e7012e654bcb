"""ICE objects <-> livesnap attribute shapes (`livesnap_reconcile.resources`).

Owns: request parameters for templates and jobs, and the normalisation of ICE responses (job
status ``init`` -> ``paused``; empty strings -> None). Pure functions, no I/O.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from livesnap_reconcile.errors import Invalid
from livesnap_reconcile.resources import RemoteObject


def ice_time(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _opt(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def template_params(attributes: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "TemplateName": attributes["name"],
        "TimeInterval": int(attributes["interval"]),
        "OverwriteFormat": attributes.get("overwrite_format") or None,
        "SequenceFormat": attributes.get("sequence_format") or None,
    }


def template_id_of(attributes: Mapping[str, Any], *, provider: str) -> str:
    ref = attributes.get("template") or {}
    if not isinstance(ref, Mapping) or not ref.get("id"):
        raise Invalid(f"provider {provider!r}: template reference {ref!r} is not resolved to an id", provider=provider)
    return str(ref["id"])


def job_params(attributes: Mapping[str, Any], *, provider: str) -> dict[str, Any]:
    output = attributes.get("output") or {}
    return {
        "JobName": attributes["name"],
        "StreamInput": {"Type": "rtmp", "Url": attributes["rtmp_url"]},
        "SnapshotOutput": {"Bucket": output.get("bucket"), "Endpoint": output.get("endpoint"), "StorageType": "oss"},
        "TemplateId": template_id_of(attributes, provider=provider),
        "CallbackUrl": attributes.get("callback_url") or None,
    }


def template_object(data: Mapping[str, Any], *, provider: str) -> RemoteObject:
    return RemoteObject(
        kind="template",
        provider=provider,
        remote_id=str(data["TemplateId"]),
        attributes={
            "name": str(data.get("TemplateName") or ""),
            "interval": int(data.get("TimeInterval") or 0),
            "overwrite_format": _opt(data.get("OverwriteFormat")),
            "sequence_format": _opt(data.get("SequenceFormat")),
        },
        extra={"type": str(data["Type"])} if data.get("Type") else {},
    )


def normalise_status(raw: str) -> str:
    return "started" if raw == "started" else "paused"


def job_object(data: Mapping[str, Any], *, provider: str) -> RemoteObject:
    stream = data.get("StreamInput") or {}
    output = data.get("SnapshotOutput") or {}
    raw = str(data.get("Status") or "")
    return RemoteObject(
        kind="job",
        provider=provider,
        remote_id=str(data["JobId"]),
        attributes={
            "name": str(data.get("JobName") or ""),
            "rtmp_url": str(stream.get("Url") or ""),
            "output": {"bucket": str(output.get("Bucket") or ""), "endpoint": str(output.get("Endpoint") or "")},
            "template": {"id": str(data.get("TemplateId") or "")},
            "callback_url": _opt(data.get("CallbackUrl")),
            "status": normalise_status(raw),
        },
        status=raw,
        extra={"create_time": str(data.get("CreateTime") or "")},
    )


def starting(obj: RemoteObject) -> RemoteObject:
    """A job we just submitted to run: ICE starts it asynchronously, so ``init`` means "starting".

    Recorded as ``started`` (what was asked and is under way), so the next refresh seeing it run is
    no drift; one still ``init`` then is "not started yet", which `vendors.alibaba.job` tells apart.
    """
    if obj.status != "init":
        return obj
    return RemoteObject(kind=obj.kind, provider=obj.provider, remote_id=obj.remote_id,
                        attributes={**obj.attributes, "status": "started"}, status=obj.status, extra=obj.extra)


def job_object_from_list(item: Mapping[str, Any], *, recorded: Mapping[str, Any], provider: str) -> RemoteObject:
    """A job from a `ListLiveSnapshotJobs` item, for a job whose recorded JobName it carries.

    List items omit the stream URL and callback. Those are immutable and hashed into the JobName's
    digest, so a job still carrying the recorded name still has the recorded values: taking them
    from state saves one `GetLiveSnapshotJob` per job on every refresh.
    """
    full = dict(item)
    full["StreamInput"] = {"Url": recorded.get("rtmp_url") or ""}
    full["CallbackUrl"] = recorded.get("callback_url")
    return job_object(full, provider=provider)
