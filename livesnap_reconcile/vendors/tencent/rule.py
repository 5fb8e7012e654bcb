"""The Tencent snapshot rule: an always-on binding of a template to a stream (or a whole app).

A rule captures every push that matches it, with or without tasks, so a Tencent snapshot with
neither ``window`` nor ``schedule`` becomes one. Rules have no id and no name: the vendor keys
them by (domain, app, stream), so that is their remote id here too, and they can never carry our
namespace. Any unrecorded rule that refresh returns sits on a domain we manage, and is reported,
never touched. Rules have no update: a changed template or scope replaces the rule. A domain
binds at most one template, which the validator checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from livesnap_reconcile.resources import RemoteObject
from livesnap_reconcile.vendors.kind_spec import Attributes, KindSpec

KIND = "rule"


def rule_address(stream: str, snapshot: str) -> str:
    return f"{KIND}.{stream}.{snapshot}"


def rule_key(domain: str, app: str, stream: str) -> str:
    """The vendor's key of a rule, used as its remote id (``domain/app/stream``; stream may be empty)."""
    return f"{domain}/{app}/{stream}"


class RuleSpec(KindSpec):
    kind = KIND
    immutable = ("domain", "app", "stream", "template")
    reference_field = "template"
    shape = {"domain": (str,), "app": (str,), "stream": (str,), "template": (Mapping,)}

    def identity(self, attributes: Attributes) -> tuple[Any, ...]:
        template = attributes.get("template") or {}
        return (attributes.get("domain"), attributes.get("app"), attributes.get("stream"), template.get("id"))

    def unexpected(self, obj: RemoteObject, namespace: str) -> bool:
        return True  # refresh lists rules only on the domains this manifest or state uses

    def unexpected_detail(self, obj: RemoteObject) -> str:
        a = obj.attributes
        scope = f"stream {a.get('stream')}" if a.get("stream") else "every stream"
        return (f"a snapshot rule on {a.get('domain')} (app {a.get('app')}, {scope}, template "
                f"{(a.get('template') or {}).get('id')}) is not managed by livesnap; left untouched")
