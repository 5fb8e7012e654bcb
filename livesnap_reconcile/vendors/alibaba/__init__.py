"""Alibaba Cloud ICE: the kinds livesnap manages there, its part of the manifest language, and
where its API client lives (`providers.alibaba`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from livesnap_reconcile.vendors.alibaba.manifest import AlibabaRules
from livesnap_reconcile.vendors.registration import Vendor

if TYPE_CHECKING:
    from livesnap_reconcile.vendors.kind_spec import KindSpec


def _kinds() -> tuple[KindSpec, ...]:
    from livesnap_reconcile.vendors.alibaba.job import JobSpec
    from livesnap_reconcile.vendors.template import TemplateSpec

    return TemplateSpec(unclearable=("overwrite_format", "sequence_format")), JobSpec()


VENDOR = Vendor(
    rules=AlibabaRules(),
    make_kinds=_kinds,
    client="livesnap_reconcile.providers.alibaba",
    default_endpoint=lambda region: f"https://ice.{region}.aliyuncs.com",
    rates={"ice": 50.0},
)
