"""Alibaba Cloud ICE (2020-11-09) live snapshot jobs and templates, as the sandbox models them.

Each action takes the decoded parameters (form body and query merged, all strings) and a store
transaction, validates everything before it mutates anything, and returns the response fields
(RequestId is added by the caller). Errors are `ApiError`s with ICE codes and HTTP statuses.
Signatures, rate limits and faults are handled before these functions run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from livesnap_reconcile.emulator import ice_files
from livesnap_reconcile.emulator.store import Txn
from livesnap_reconcile.emulator.views import between, cached, ordered
from livesnap_reconcile.emulator.wire import ApiError, ice_id, ice_time, parse_ice_time

VERSION = "2020-11-09"
MAX_STARTED = 100
SYSTEM_TEMPLATE_ID = "00000000000000000000000000000001"
SYSTEM_TEMPLATE = {"TemplateId": SYSTEM_TEMPLATE_ID, "TemplateName": "system-snapshot-10s", "Type": "system",
                   "TimeInterval": 10, "OverwriteFormat": "snapshot/{JobId}.jpg",
                   "SequenceFormat": "snapshot/{JobId}/{UnixTimestamp}.jpg",
                   "CreateTime": "2020-11-09T00:00:00Z", "LastModified": "2020-11-09T00:00:00Z", "_seq": 0}
WEEK, MAX_SPAN = 7 * 86400, 30 * 86400
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


# -- parameter helpers ----------------------------------------------------------------------------

def _str(p: dict[str, str], name: str, *, required: bool = False, max_len: int = 255) -> str | None:
    value = p.get(name)
    if value is None or value == "":
        if required:
            raise ApiError("MissingParameter", name)
        return None
    if len(value) > max_len:
        raise ApiError("InvalidParameter", f"{name} is longer than {max_len} characters.")
    return value


def _int(p: dict[str, str], name: str, *, lo: int, hi: int, default: int | None = None,
         required: bool = False) -> int | None:
    raw = _str(p, name, required=required)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError("InvalidParameter", f"{name} must be an integer.") from None
    if not lo <= value <= hi:
        raise ApiError("InvalidParameter", f"{name} must be between {lo} and {hi}.")
    return value


def _enum(p: dict[str, str], name: str, values: tuple[str, ...], default: str | None = None) -> str | None:
    raw = _str(p, name)
    if raw is None:
        return default
    if raw not in values:
        raise ApiError("InvalidParameter", f"{name} must be one of {', '.join(values)}.")
    return raw


def _json_obj(p: dict[str, str], name: str) -> dict[str, Any]:
    raw = _str(p, name, required=True, max_len=4096)
    try:
        value = json.loads(raw or "")
    except ValueError:
        raise ApiError("InvalidParameter", f"{name} is not valid JSON.") from None
    if not isinstance(value, dict):
        raise ApiError("InvalidParameter", f"{name} must be a JSON object.")
    return value


def _time(p: dict[str, str], name: str) -> float | None:
    raw = _str(p, name)
    if raw is None:
        return None
    try:
        return parse_ice_time(raw)
    except ValueError:
        # ListLiveSnapshotJobs documents MalformedStartTime / MalformedEndTime (400) for these.
        raise ApiError(f"Malformed{name}", f"Specified parameter {name} is not valid.") from None


def _public(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if not k.startswith("_") and v is not None}


def _page_params(p: dict[str, str]) -> tuple[int, int, str]:
    page_no = _int(p, "PageNo", lo=1, hi=10**9, default=1) or 1
    size = _int(p, "PageSize", lo=1, hi=100, default=10) or 10
    return page_no, size, _enum(p, "SortBy", ("asc", "desc"), "desc") or "desc"


def _order(record: dict[str, Any]) -> tuple[float, int]:
    return record["_created"], record["_seq"]


def _page(items: list[dict[str, Any]], p: dict[str, str]) -> tuple[int, int, str, list[dict[str, Any]]]:
    page_no, size, sort_by = _page_params(p)
    items.sort(key=_order, reverse=sort_by == "desc")
    return page_no, size, sort_by, items[(page_no - 1) * size: page_no * size]


def ensure_defaults(txn: Txn) -> None:
    templates = txn.data["ice"]["templates"]
    if SYSTEM_TEMPLATE_ID not in templates:
        templates[SYSTEM_TEMPLATE_ID] = dict(SYSTEM_TEMPLATE, _created=1604880000.0)
        txn.wrote = True


# -- jobs -----------------------------------------------------------------------------------------

def _job(txn: Txn, p: dict[str, str]) -> dict[str, Any]:
    job_id = _str(p, "JobId", required=True, max_len=64)
    job = txn.data["ice"]["jobs"].get(job_id)
    if job is None:
        raise ApiError("JobNotFound", "No such job.", status=404)
    return job


def _started(txn: Txn) -> int:
    return sum(1 for j in txn.data["ice"]["jobs"].values() if j["Status"] == "started")


def submit_job(p: dict[str, str], txn: Txn, *, now: float, seed: int) -> dict[str, Any]:
    name = _str(p, "JobName", required=True, max_len=128)
    stream, output = _json_obj(p, "StreamInput"), _json_obj(p, "SnapshotOutput")
    if stream.get("Type") != "rtmp":
        raise ApiError("InvalidParameter", "StreamInput.Type must be rtmp.")
    url = stream.get("Url")
    if not isinstance(url, str) or not url.startswith("rtmp://") or len(url) > 255:
        raise ApiError("InvalidParameter", "StreamInput.Url must be an rtmp:// URL of at most 255 characters.")
    if output.get("StorageType") != "oss":
        raise ApiError("InvalidParameter", "SnapshotOutput.StorageType must be oss.")
    for key in ("Endpoint", "Bucket"):
        if not isinstance(output.get(key), str) or not output[key]:
            raise ApiError("InvalidParameter", f"SnapshotOutput.{key} is required.")
    callback = _str(p, "CallbackUrl")
    if callback is not None and not callback.startswith(("http://", "https://")):
        raise ApiError("InvalidParameter", "CallbackUrl must be an http or https URL.")
    template = txn.data["ice"]["templates"].get(_str(p, "TemplateId", required=True, max_len=64))
    if template is None:
        raise ApiError("TemplateNotFound", "No such template.", status=404)
    # JobLimitExceeded is documented for start commands only, not for Submit: a job submitted at
    # the limit is accepted and stays init, like one whose stream is not live.
    live = url not in txn.data["offline"] and _started(txn) < MAX_STARTED
    job_id = ice_id(txn.data, seed=seed, kind="job")
    stamp = ice_time(now)
    txn.data["ice"]["jobs"][job_id] = {
        "JobId": job_id, "JobName": name, "TemplateId": template["TemplateId"],
        "TemplateName": template["TemplateName"], "Status": "started" if live else "init",
        "StreamInput": {"Type": "rtmp", "Url": url},
        "SnapshotOutput": {"StorageType": "oss", "Endpoint": output["Endpoint"], "Bucket": output["Bucket"]},
        "OverwriteFormat": template.get("OverwriteFormat"), "SequenceFormat": template.get("SequenceFormat"),
        "TimeInterval": template["TimeInterval"], "CallbackUrl": callback,
        "CreateTime": stamp, "LastModified": stamp, "_created": float(int(now)), "_seq": txn.data["seq"]}
    ice_files.track(txn.data["ice"]["jobs"][job_id], now)
    txn.wrote = True
    return {"JobId": job_id}


def get_job(p: dict[str, str], txn: Txn, *, now: float, seed: int) -> dict[str, Any]:
    return _public(_job(txn, p))


def list_jobs(p: dict[str, str], txn: Txn, *, now: float, seed: int) -> dict[str, Any]:
    status = _enum(p, "Status", ("init", "paused", "started"))
    keyword = _str(p, "SearchKeyWord", max_len=128)
    start, end = _time(p, "StartTime"), _time(p, "EndTime")
    # Documented: StartTime defaults to now - 7 days (not EndTime - 7 days). For EndTime the docs
    # disagree (now, or StartTime + 7 days); the sandbox takes now, the Python SDK's reading.
    # livesnap always sends both, so neither default decides anything it does.
    end = float(int(now)) if end is None else end
    start = float(int(now)) - WEEK if start is None else start
    if end < start:
        raise ApiError("EndTimeMismatch", "Specified end time does not match the start time.")
    if end - start > MAX_SPAN:
        raise ApiError("InvalidParameter", "The span between StartTime and EndTime must not exceed 30 days.")
    page_no, size, sort_by = _page_params(p)
    items = _matching_jobs(txn, start, end, status, keyword, sort_by)
    page = items[(page_no - 1) * size: page_no * size]
    fields = ("JobId", "JobName", "Status", "TemplateId", "TemplateName", "TimeInterval", "CreateTime",
              "SnapshotOutput")
    return {"PageNo": page_no, "PageSize": size, "SortBy": sort_by, "TotalCount": len(items),
            "JobList": [{k: j[k] for k in fields} for j in page]}


def _copy_template(txn: Txn, job: dict[str, Any]) -> None:
    """A job takes its template's settings when it (re)starts; a template update alone does not
    reach it. Undocumented: the sandbox models the case where a restart is needed."""
    template = txn.data["ice"]["templates"].get(job["TemplateId"])
    if template is not None:
        job.update({k: template.get(k) for k in ("TemplateName", "TimeInterval", "OverwriteFormat", "SequenceFormat")})


def _matching_jobs(txn: Txn, start: float, end: float, status: str | None, keyword: str | None,
                   sort_by: str) -> list[dict[str, Any]]:
    """The jobs a list query matches, in its order; later pages of the query reuse the list."""
    def build() -> list[dict[str, Any]]:
        descending = sort_by == "desc"
        jobs = ordered(txn.views, "ice-jobs", txn.data["ice"]["jobs"].values(), _order, reverse=descending)
        return [j for j in between(jobs, start, end, _created, descending=descending)
                if (status is None or j["Status"] == status)
                and (keyword is None or keyword == j["JobId"] or keyword in j["JobName"])]

    return cached(txn.views, ("ice-list-jobs", start, end, status, keyword, sort_by), build)


def _created(record: dict[str, Any]) -> float:
    return record["_created"]


def send_command(p: dict[str, str], txn: Txn, *, now: float, seed: int) -> dict[str, Any]:
    command = _enum(p, "Command", ("start", "stop", "restart"))
    if command is None:
        raise ApiError("MissingParameter", "Command")
    job = _job(txn, p)
    if command == "stop":
        job["Status"] = "paused"
    else:
        if command == "start" and job["Status"] == "started":
            raise ApiError("JobAlreadyStarted", "Job is already started.", status=409)
        if job["StreamInput"]["Url"] in txn.data["offline"]:
            raise ApiError("StreamNotFound", "No such stream.")
        if job["Status"] != "started" and _started(txn) >= MAX_STARTED:
            raise ApiError("JobLimitExceeded", "Job limit exceeded.")
        job["Status"] = "started"
        _copy_template(txn, job)
    job["LastModified"] = ice_time(now)
    ice_files.track(job, now)
    txn.wrote = True
    return {}


# -- templates ------------------------------------------------------------------------------------

def _check_format(name: str, value: str | None, *, allowed: set[str], needs: set[str] | None = None) -> None:
    if value is None:
        return
    if value.startswith("/") or not value.endswith(".jpg"):
        raise ApiError("InvalidParameter", f"{name} must not start with / and must end with .jpg.")
    used = set(_PLACEHOLDER.findall(value))
    if used - allowed:
        raise ApiError("InvalidParameter", f"{name} may only use {', '.join(sorted(allowed))}.")
    if needs and not used & needs:
        raise ApiError("InvalidParameter", f"{name} must contain one of {', '.join(sorted(needs))}.")


def _template_fields(p: dict[str, str], current: dict[str, Any] | None = None) -> dict[str, Any]:
    fields: dict[str, Any] = {"TemplateName": _str(p, "TemplateName", required=True, max_len=128),
              "TimeInterval": _int(p, "TimeInterval", lo=5, hi=3600, required=True)}
    for key in ("OverwriteFormat", "SequenceFormat"):
        value = _str(p, key)
        fields[key] = value if value is not None else (current or {}).get(key)
    _check_format("OverwriteFormat", fields["OverwriteFormat"], allowed={"{JobId}"})
    _check_format("SequenceFormat", fields["SequenceFormat"],
                  allowed={"{JobId}", "{Date}", "{UnixTimestamp}", "{Sequence}"},
                  needs={"{UnixTimestamp}", "{Sequence}"})
    if fields["OverwriteFormat"] is None and fields["SequenceFormat"] is None:
        raise ApiError("InvalidParameter", "At least one of OverwriteFormat and SequenceFormat is required.")
    return fields


def _template(txn: Txn, p: dict[str, str], *, writable: bool = False) -> dict[str, Any]:
    template = txn.data["ice"]["templates"].get(_str(p, "TemplateId", required=True, max_len=64))
    if template is None:
        raise ApiError("TemplateNotFound", "No such template.", status=404)
    if writable and template["Type"] == "system":
        raise ApiError("Forbidden", "User not authorized to operate on the specified resource.", status=403)
    return template


def create_template(p: dict[str, str], txn: Txn, *, now: float, seed: int) -> dict[str, Any]:
    fields = _template_fields(p)
    template_id = ice_id(txn.data, seed=seed, kind="template")
    stamp = ice_time(now)
    txn.data["ice"]["templates"][template_id] = dict(
        fields, TemplateId=template_id, Type="custom", CreateTime=stamp, LastModified=stamp,
        _created=float(int(now)), _seq=txn.data["seq"])
    txn.wrote = True
    return {"TemplateId": template_id}


def update_template(p: dict[str, str], txn: Txn, *, now: float, seed: int) -> dict[str, Any]:
    template = _template(txn, p, writable=True)
    template.update(_template_fields(p, template), LastModified=ice_time(now))
    txn.wrote = True
    return {}


def delete_template(p: dict[str, str], txn: Txn, *, now: float, seed: int) -> dict[str, Any]:
    template = _template(txn, p, writable=True)
    del txn.data["ice"]["templates"][template["TemplateId"]]
    txn.wrote = True
    return {}


def get_template(p: dict[str, str], txn: Txn, *, now: float, seed: int) -> dict[str, Any]:
    return _public(_template(txn, p))


def list_templates(p: dict[str, str], txn: Txn, *, now: float, seed: int) -> dict[str, Any]:
    kind = _enum(p, "Type", ("system", "custom"))
    keyword = _str(p, "SearchKeyWord", max_len=128)
    ids = [v for k, v in p.items() if re.fullmatch(r"TemplateIds\.\d+", k)]
    if len(ids) > 200:
        raise ApiError("InvalidParameter", "TemplateIds may hold at most 200 ids.")
    items = [t for t in txn.data["ice"]["templates"].values()
             if (kind is None or t["Type"] == kind)
             and (keyword is None or keyword == t["TemplateId"] or keyword in t["TemplateName"])
             and (keyword is not None or not ids or t["TemplateId"] in ids)]
    page_no, size, sort_by, page = _page(items, p)
    fields = ("TemplateId", "TemplateName", "Type", "TimeInterval", "CreateTime")
    return {"PageNo": page_no, "PageSize": size, "SortBy": sort_by, "TotalCount": len(items),
            "TemplateList": [{k: t[k] for k in fields} for t in page]}


Action = Callable[..., dict[str, Any]]
ACTIONS: dict[str, Action] = {
    "SubmitLiveSnapshotJob": submit_job, "GetLiveSnapshotJob": get_job, "ListLiveSnapshotJobs": list_jobs,
    "SendLiveSnapshotJobCommand": send_command, "CreateLiveSnapshotTemplate": create_template,
    "UpdateLiveSnapshotTemplate": update_template, "DeleteLiveSnapshotTemplate": delete_template,
    "GetLiveSnapshotTemplate": get_template, "ListLiveSnapshotTemplates": list_templates,
    "ListLiveSnapshotFiles": ice_files.list_files,
}
