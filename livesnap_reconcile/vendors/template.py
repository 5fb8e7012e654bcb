"""The snapshot template kind, which both vendors have: named, updated in place, deletable.

Jobs and tasks refer to a managed template as ``{"ref": address}`` until its id is known, so the
planner orders template writes before their users and their users' deletes before the template's.
"""

from __future__ import annotations

from collections.abc import Iterable

from livesnap_reconcile.vendors.kind_spec import KindSpec


class TemplateSpec(KindSpec):
    kind = "template"
    referenced = True
    shape = {"name": (str,), "interval": (int,)}
    per_stream = False

    def __init__(self, unclearable: Iterable[str] = ()) -> None:
        self.unclearable = frozenset(unclearable)

    def shared_with(self, other: KindSpec) -> KindSpec:
        return TemplateSpec(self.unclearable | other.unclearable)

    def owner_prefix(self, namespace: str) -> str | None:
        return f"{namespace}-"
