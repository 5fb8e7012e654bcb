"""Tencent Cloud Live snapshot rules in the sandbox: create, describe (all), delete.

A rule binds a template to a domain, an app and optionally one stream; the vendor keys rules by
those three, so a second rule with the same key is `FailedOperation.RuleAlreadyExist`. A domain
binds at most one template: a rule naming another template on a bound domain is refused the same
way (the code for that case is undocumented; see docs/vendor-behaviour.md). AppName defaults to
``live`` as documented. RuleInfo times are Beijing-time strings, as on the real service. A
template bound by a rule cannot be deleted (`FailedOperation.ConfInUsed`, in
`tencent_templates`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from livesnap_reconcile.emulator.store import Txn
from livesnap_reconcile.emulator.tencent import coerce
from livesnap_reconcile.emulator.wire import ApiError

_DOMAIN = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_BEIJING = timezone(timedelta(hours=8))
_KEY = {"DomainName": ("str", True), "AppName": ("str", False), "StreamName": ("str", False)}


def _key(fields: dict[str, Any]) -> tuple[str, str, str]:
    domain = fields["DomainName"]
    if not _DOMAIN.match(domain):
        raise ApiError("InvalidParameter.DomainFormatError", "the domain name is not valid.")
    return domain, fields.get("AppName", "live"), fields.get("StreamName", "")


def _beijing(now: float) -> str:
    return datetime.fromtimestamp(now, UTC).astimezone(_BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def rules_of(txn: Txn) -> dict[str, dict[str, Any]]:
    rules: dict[str, dict[str, Any]] = txn.data["tencent"].setdefault("rules", {})
    return rules


def create(p: dict[str, Any], txn: Txn, *, now: float, seed: int) -> dict[str, Any]:
    fields = coerce(p, dict(_KEY, TemplateId=("int", True)))
    domain, app, stream = _key(fields)
    template_id = fields["TemplateId"]
    if str(template_id) not in txn.data["tencent"]["templates"]:
        raise ApiError("InvalidParameter.ConfNotFound", "the snapshot template does not exist.")
    rules = rules_of(txn)
    if "/".join((domain, app, stream)) in rules:
        raise ApiError("FailedOperation.RuleAlreadyExist", "a snapshot rule for this domain, app and stream exists.")
    bound = {r["TemplateId"] for r in rules.values() if r["DomainName"] == domain}
    if bound and template_id not in bound:
        raise ApiError("FailedOperation.RuleAlreadyExist",
                       f"the domain is already bound to snapshot template {min(bound)}; a domain binds one template.")
    stamp = _beijing(now)
    rules["/".join((domain, app, stream))] = {"DomainName": domain, "AppName": app, "StreamName": stream,
                                              "TemplateId": template_id, "CreateTime": stamp, "UpdateTime": stamp}
    txn.wrote = True
    return {}


def describe(p: dict[str, Any], txn: Txn, *, now: float, seed: int) -> dict[str, Any]:
    coerce(p, {})
    return {"Rules": [dict(r) for _, r in sorted(rules_of(txn).items())]}


def delete(p: dict[str, Any], txn: Txn, *, now: float, seed: int) -> dict[str, Any]:
    key = "/".join(_key(coerce(p, _KEY)))
    rules = rules_of(txn)
    if key not in rules:
        raise ApiError("FailedOperation.NotFound", "the snapshot rule does not exist.")
    del rules[key]
    txn.wrote = True
    return {}


def binding(txn: Txn, template_id: int) -> list[dict[str, Any]]:
    """The rules that bind ``template_id``."""
    return [r for r in rules_of(txn).values() if r["TemplateId"] == template_id]
