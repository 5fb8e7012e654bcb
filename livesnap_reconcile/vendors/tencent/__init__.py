"""Tencent Cloud Live: the kinds livesnap manages there and its part of the manifest language.

The API client lives in `providers.tencent`.
"""

from __future__ import annotations

from livesnap_reconcile.vendors.registration import Vendor
from livesnap_reconcile.vendors.template import TemplateSpec
from livesnap_reconcile.vendors.tencent.manifest import TencentRules
from livesnap_reconcile.vendors.tencent.rule import RuleSpec
from livesnap_reconcile.vendors.tencent.task import TaskSpec

VENDOR = Vendor(rules=TencentRules(), kinds=(TemplateSpec(), TaskSpec(), RuleSpec()))
