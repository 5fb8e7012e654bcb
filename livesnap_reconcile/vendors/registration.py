"""What a vendor registers: its manifest rules, the kinds it manages, and where its client lives.

The client is named, not imported: this layer stays pure, and `providers.make_provider` imports
``<client>.factory`` (the signed API client) and ``<client>.credentials`` (the credential chain)
only when a provider of that vendor is built. The kinds are built on first use too: validating a
manifest needs only the rules, not the kind specs and the resource model behind them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from livesnap_reconcile.vendors.manifest_rules import ManifestRules

if TYPE_CHECKING:
    from livesnap_reconcile.vendors.kind_spec import KindSpec


class Vendor(NamedTuple):
    rules: ManifestRules
    make_kinds: Callable[[], tuple[KindSpec, ...]]  # imports and builds the kind specs
    client: str  # the package of the API client
    default_endpoint: Callable[[str], str]  # region -> the public endpoint
    rates: Mapping[str, float]  # documented or conservative requests/second per action group
    # A vendor with several sites (separate hosts and API sets): site -> its public endpoint.
    site_endpoints: Mapping[str, str] = MappingProxyType({})

    @property
    def kinds(self) -> tuple[KindSpec, ...]:
        return _built(self.make_kinds)

    @property
    def name(self) -> str:
        return self.rules.vendor


@cache
def _built(make_kinds: Callable[[], tuple[KindSpec, ...]]) -> tuple[KindSpec, ...]:
    return make_kinds()
