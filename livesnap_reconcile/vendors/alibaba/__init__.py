"""Alibaba Cloud ICE: the kinds livesnap manages there and its part of the manifest language.

The API client lives in `providers.alibaba`.
"""

from __future__ import annotations

from livesnap_reconcile.vendors.alibaba.job import JobSpec
from livesnap_reconcile.vendors.alibaba.manifest import AlibabaRules
from livesnap_reconcile.vendors.registration import Vendor
from livesnap_reconcile.vendors.template import TemplateSpec

VENDOR = Vendor(rules=AlibabaRules(), kinds=(TemplateSpec(), JobSpec()))
