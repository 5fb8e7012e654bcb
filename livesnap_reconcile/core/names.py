"""Addresses and remote names every vendor shares: ``template.<name>`` and template remote names.

Each kind spells its own addresses in its vendor's folder (``job.<stream>.<snapshot>``,
``task.<stream>.<snapshot>[<UTC start>]``). Providers and the planner rely on these exact
spellings for adoption, so they are plain pure functions of their arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def template_address(name: str) -> str:
    return f"template.{name}"


def remote_template_name(namespace: str, name: str) -> str:
    return f"{namespace}-{name}"


def manifest_template_ref(value: Any) -> str | dict[str, str]:
    """The manifest's own spelling of a template reference: a name, or ``{"id": "<str>"}``."""
    if isinstance(value, Mapping):
        return {"id": str(value["id"])}
    return str(value)
