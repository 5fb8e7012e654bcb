"""What a vendor registers: its manifest rules, the kinds it manages, and where its client lives.

The client is named, not imported: this layer stays pure, and `providers.make_provider` imports
``<client>.factory`` (the signed API client) and ``<client>.credentials`` (the credential chain)
only when a provider of that vendor is built.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from livesnap_reconcile.vendors.manifest_rules import ManifestRules
from livesnap_reconcile.vendors.spec import KindSpec


@dataclass(frozen=True)
class Vendor:
    rules: ManifestRules
    kinds: tuple[KindSpec, ...]
    client: str  # the package of the API client
    default_endpoint: Callable[[str], str]  # region -> the public endpoint
    rates: Mapping[str, float]  # documented or conservative requests/second per action group
    # A vendor with several sites (separate hosts and API sets): site -> its public endpoint.
    site_endpoints: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.rules.vendor
