"""What a vendor registers: its manifest rules and the kinds it manages."""

from __future__ import annotations

from dataclasses import dataclass

from livesnap_reconcile.vendors.manifest_rules import ManifestRules
from livesnap_reconcile.vendors.spec import KindSpec


@dataclass(frozen=True)
class Vendor:
    rules: ManifestRules
    kinds: tuple[KindSpec, ...]

    @property
    def name(self) -> str:
        return self.rules.vendor
