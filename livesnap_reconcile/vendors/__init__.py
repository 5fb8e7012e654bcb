"""The resource kinds livesnap manages, each declared once in its vendor's folder.

`spec(kind)` is how every other layer learns what a kind means; an unknown kind is a loud error,
never a silent fallback. Adding a kind is a spec file and one line in `_REGISTRY`.
"""

from __future__ import annotations

from livesnap_reconcile.errors import LivesnapError
from livesnap_reconcile.vendors.alibaba.job import JobSpec
from livesnap_reconcile.vendors.spec import KindSpec
from livesnap_reconcile.vendors.template import TemplateSpec
from livesnap_reconcile.vendors.tencent.task import TaskSpec

_REGISTRY: dict[str, KindSpec] = {s.kind: s for s in (TemplateSpec(), JobSpec(), TaskSpec())}


class UnknownKind(LivesnapError):
    """A kind no vendor registered: a bug or a state file from a newer livesnap."""


def spec(kind: str) -> KindSpec:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise UnknownKind(f"unknown resource kind {kind!r} (known: {', '.join(sorted(_REGISTRY))})") from None


def kinds() -> tuple[str, ...]:
    return tuple(_REGISTRY)
