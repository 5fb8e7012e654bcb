"""The vendors livesnap speaks to and the resource kinds it manages, each declared once.

`spec(kind)` and `vendor(name)` are how every other layer learns what a kind or a vendor means;
an unknown one is a loud error, never a silent fallback. Adding a kind is a spec file in its
vendor's folder and one line in that vendor's registration; adding a vendor is a folder and one
line in `_VENDORS`.
"""

from __future__ import annotations

from livesnap_reconcile.errors import LivesnapError
from livesnap_reconcile.vendors import alibaba, tencent
from livesnap_reconcile.vendors.manifest_rules import ManifestRules
from livesnap_reconcile.vendors.registration import Vendor
from livesnap_reconcile.vendors.spec import KindSpec

_VENDORS: tuple[Vendor, ...] = (alibaba.VENDOR, tencent.VENDOR)

_BY_NAME = {v.name: v for v in _VENDORS}
_KINDS: dict[str, KindSpec] = {}
for _vendor in _VENDORS:
    for _spec in _vendor.kinds:
        # A kind two vendors share has one set of rules, which each vendor may add to.
        _KINDS[_spec.kind] = _KINDS[_spec.kind].shared_with(_spec) if _spec.kind in _KINDS else _spec


class UnknownKind(LivesnapError):
    """A kind no vendor registered: a bug or a state file from a newer livesnap."""


def spec(kind: str) -> KindSpec:
    try:
        return _KINDS[kind]
    except KeyError:
        raise UnknownKind(f"unknown resource kind {kind!r} (known: {', '.join(sorted(_KINDS))})") from None


def kinds() -> tuple[str, ...]:
    return tuple(_KINDS)


def vendor_names() -> tuple[str, ...]:
    return tuple(_BY_NAME)


def rules(vendor: str) -> ManifestRules:
    """The manifest rules of a registered vendor (KeyError for another: callers check first)."""
    return _BY_NAME[vendor].rules


def vendor(name: str) -> Vendor | None:
    """A registered vendor, or None."""
    return _BY_NAME.get(name)
