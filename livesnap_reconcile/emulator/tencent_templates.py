"""Tencent Cloud Live snapshot templates in the sandbox: create, describe (one and all), modify, delete.

Templates are at most 50; ids are ints on the wire; deleting one a snapshot rule binds answers
`FailedOperation.ConfInUsed` (tasks take a template id without any integrity check, so they do
not hold it). COS credentials are never stored or echoed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from livesnap_reconcile.emulator import tencent, tencent_snapshot_rules
from livesnap_reconcile.emulator.store import Txn
from livesnap_reconcile.emulator.tencent import MAX_TEMPLATES, coerce
from livesnap_reconcile.emulator.wire import ApiError

_OPTIONAL = {"TemplateName": ("str", False), "Description": ("str", False), "SnapshotInterval": ("int", False),
             "Width": ("int", False), "Height": ("int", False), "PornFlag": ("int", False),
             "CosPrefix": ("str", False), "CosFileName": ("str", False)}
_COS = {"CosAppId": ("int", True), "CosBucket": ("str", True), "CosRegion": ("str", True)}
# Create allows an interval of 2..300 s, Modify's docs say 5..300; one range keeps an update of a
# template that was valid at creation from failing.
_RANGES = {"SnapshotInterval": (2, 300), "Width": (0, 3000), "Height": (0, 2000), "PornFlag": (0, 1)}
_DEFAULTS = {"Description": "", "SnapshotInterval": 10, "Width": 0, "Height": 0, "PornFlag": 0,
             "CosPrefix": None, "CosFileName": None}


def _validate(fields: dict[str, Any]) -> None:
    for name, limit in (("TemplateName", 255), ("Description", 1024)):
        value = fields.get(name)
        if value is None or (name == "Description" and value == ""):
            continue
        if len(value.encode("utf-8")) > limit or not tencent._NAME.match(value):
            raise ApiError("InvalidParameterValue",
                           f"{name} must be 1..{limit} bytes of letters, digits, Chinese, _ or -.")
    for name, (lo, hi) in _RANGES.items():
        if name in fields and not lo <= fields[name] <= hi:
            raise ApiError("InvalidParameterValue", f"{name} must be between {lo} and {hi}.")
    if "CosBucket" in fields:
        if not fields["CosBucket"] or fields["CosBucket"].endswith(f"-{fields['CosAppId']}"):
            raise ApiError("InvalidParameterValue", "CosBucket must be set, without the -<CosAppId> suffix.")
        if not fields["CosRegion"]:
            raise ApiError("InvalidParameterValue", "CosRegion must be set.")


def public_template(t: dict[str, Any]) -> dict[str, Any]:
    keys = ("TemplateId", "TemplateName", "SnapshotInterval", "Width", "Height", "PornFlag", "CosAppId",
            "CosBucket", "CosRegion", "Description", "CosPrefix", "CosFileName")
    return dict({k: t.get(k) for k in keys}, CosSecretId="", CosSecretKey="")


def _template(txn: Txn, template_id: int) -> dict[str, Any]:
    template = txn.data["tencent"]["templates"].get(str(template_id))
    if template is None:
        raise ApiError("FailedOperation.NotFound", "the template does not exist.")
    return template


def create(p: dict[str, Any], txn: Txn, *, now: float, seed: int) -> dict[str, Any]:
    fields = coerce(p, dict(_OPTIONAL, **_COS, TemplateName=("str", True)))
    _validate(fields)
    store = txn.data["tencent"]
    if len(store["templates"]) >= MAX_TEMPLATES:
        raise ApiError("InternalError.ConfOutLimit", f"at most {MAX_TEMPLATES} snapshot templates are allowed.")
    template_id = int(store["next_template_id"])
    store["next_template_id"] = template_id + 1
    store["templates"][str(template_id)] = dict(_DEFAULTS, **fields, TemplateId=template_id)
    txn.wrote = True
    return {"TemplateId": template_id}


def describe_all(p: dict[str, Any], txn: Txn, *, now: float, seed: int) -> dict[str, Any]:
    coerce(p, {})
    templates = sorted(txn.data["tencent"]["templates"].values(), key=lambda t: t["TemplateId"])
    return {"Templates": [public_template(t) for t in templates]}


def describe_one(p: dict[str, Any], txn: Txn, *, now: float, seed: int) -> dict[str, Any]:
    fields = coerce(p, {"TemplateId": ("int", True)})
    return {"Template": public_template(_template(txn, fields["TemplateId"]))}


def modify(p: dict[str, Any], txn: Txn, *, now: float, seed: int) -> dict[str, Any]:
    fields = coerce(p, dict(_OPTIONAL, **_COS, TemplateId=("int", True)))
    template = _template(txn, fields["TemplateId"])
    _validate(fields)
    template.update(fields)
    txn.wrote = True
    return {}


def delete(p: dict[str, Any], txn: Txn, *, now: float, seed: int) -> dict[str, Any]:
    fields = coerce(p, {"TemplateId": ("int", True)})
    template = _template(txn, fields["TemplateId"])
    if tencent_snapshot_rules.binding(txn, template["TemplateId"]):
        raise ApiError("FailedOperation.ConfInUsed", "the template is bound by a snapshot rule.")
    del txn.data["tencent"]["templates"][str(template["TemplateId"])]
    txn.wrote = True
    return {}


ACTIONS: dict[str, Callable[..., dict[str, Any]]] = {
    "CreateScreenshotTask": tencent.create_task, "DescribeScreenshotTask": tencent.describe_tasks,
    "StopScreenshotTask": tencent.stop_task, "DeleteScreenshotTask": tencent.delete_task,
    "CreateLiveSnapshotTemplate": create, "DescribeLiveSnapshotTemplates": describe_all,
    "DescribeLiveSnapshotTemplate": describe_one, "ModifyLiveSnapshotTemplate": modify,
    "DeleteLiveSnapshotTemplate": delete,
    "CreateLiveSnapshotRule": tencent_snapshot_rules.create, "DescribeLiveSnapshotRules": tencent_snapshot_rules.describe,
    "DeleteLiveSnapshotRule": tencent_snapshot_rules.delete,
}
