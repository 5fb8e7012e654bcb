"""Tencent Cloud Live: the kinds livesnap manages there, its part of the manifest language, and
where its API client lives (`providers.tencent`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from livesnap_reconcile.vendors.registration import Vendor
from livesnap_reconcile.vendors.tencent.manifest import TencentRules

if TYPE_CHECKING:
    from livesnap_reconcile.vendors.kind_spec import KindSpec


def _kinds() -> tuple[KindSpec, ...]:
    from livesnap_reconcile.vendors.template import TemplateSpec
    from livesnap_reconcile.vendors.tencent.rule import RuleSpec
    from livesnap_reconcile.vendors.tencent.task import TaskSpec

    return TemplateSpec(), TaskSpec(), RuleSpec()


VENDOR = Vendor(
    rules=TencentRules(),
    make_kinds=_kinds,
    client="livesnap_reconcile.providers.tencent",
    default_endpoint=lambda region: "https://live.tencentcloudapi.com",
    rates={"task": 20.0, "template": 20.0},
    # The international SDK's host, and the one its API docs name (tencentcloud.com/document/api/267).
    site_endpoints={"china": "https://live.tencentcloudapi.com",
                    "international": "https://live.intl.tencentcloudapi.com"},
)
