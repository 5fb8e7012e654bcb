"""The vendors livesnap speaks to and the resource kinds it manages, each declared once.

`spec(kind)` and `vendor(name)` are how every other layer learns what a kind or a vendor means;
an unknown one is a loud error, never a silent fallback. Adding a kind is a spec file in its
vendor's folder and one line in that vendor's registration; adding a vendor is a folder and one
line in `_VENDORS`. The kinds are collected on the first question about one (see `registration`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from livesnap_reconcile.errors import LivesnapError
from livesnap_reconcile.vendors import alibaba, tencent
from livesnap_reconcile.vendors.manifest_rules import ManifestRules
from livesnap_reconcile.vendors.registration import Vendor

if TYPE_CHECKING:  # built with the kinds, on first use: validating a manifest needs only the rules
    from livesnap_reconcile.vendors.kind_spec import KindSpec

_VENDORS: tuple[Vendor, ...] = (alibaba.VENDOR, tencent.VENDOR)

_BY_NAME = {v.name: v for v in _VENDORS}
_KINDS: dict[str, KindSpec] | None = None


def _all_kinds() -> dict[str, KindSpec]:
    global _KINDS
    if _KINDS is None:
        found: dict[str, KindSpec] = {}
        for vendor_ in _VENDORS:
            for spec_ in vendor_.kinds:
                # A kind two vendors share has one set of rules, which each vendor may add to.
                found[spec_.kind] = found[spec_.kind].shared_with(spec_) if spec_.kind in found else spec_
        _KINDS = found  # published whole: a thread never sees half the kinds
    return _KINDS


class UnknownKind(LivesnapError):
    """A kind no vendor registered: a bug or a state file from a newer livesnap."""


def spec(kind: str) -> KindSpec:
    # Asked several times per resource by the planner: the common case skips a call.
    try:
        return (_KINDS if _KINDS is not None else _all_kinds())[kind]
    except KeyError:
        raise UnknownKind(f"unknown resource kind {kind!r} (known: {', '.join(sorted(_all_kinds()))})") from None


def kinds() -> tuple[str, ...]:
    return tuple(_all_kinds())


def vendor_names() -> tuple[str, ...]:
    return tuple(_BY_NAME)


def rules(vendor: str) -> ManifestRules:
    """The manifest rules of a registered vendor (KeyError for another: callers check first)."""
    return _BY_NAME[vendor].rules


def vendor(name: str) -> Vendor | None:
    """A registered vendor, or None."""
    return _BY_NAME.get(name)
