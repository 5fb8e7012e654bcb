"""Tencent's two sites in the sandbox: the China site serves every action, the international one fewer.

A request to a host with an ``intl`` or ``international`` label (``live.intl.tencentcloudapi.com``,
``international.sandbox.localhost``) is the international site. Its SDK and CLI spec publish
``CreateScreenshotTask`` but no ``DescribeScreenshotTask``, ``StopScreenshotTask`` or
``DeleteScreenshotTask``, which it answers like any action it does not have (``InvalidAction``).
Its docs say Region "is not required" for the task actions, so no region is refused there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from livesnap_reconcile.emulator import tencent, tencent_templates

NOT_ON_INTERNATIONAL = frozenset({"DescribeScreenshotTask", "StopScreenshotTask", "DeleteScreenshotTask"})
INTERNATIONAL_ACTIONS: dict[str, Callable[..., dict[str, Any]]] = {
    name: action for name, action in tencent_templates.ACTIONS.items() if name not in NOT_ON_INTERNATIONAL}


def international(host: str) -> bool:
    labels = host.lower().split(":")[0].split(".")
    return "intl" in labels or "international" in labels


def actions(host: str) -> Mapping[str, Callable[..., dict[str, Any]]]:
    """The actions the site at ``host`` serves."""
    return INTERNATIONAL_ACTIONS if international(host) else tencent_templates.ACTIONS


def check_region(action: str, region: str | None, host: str) -> None:
    if not international(host):
        tencent.check_region(action, region)
