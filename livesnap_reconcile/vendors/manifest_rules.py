"""What a vendor adds to the manifest language: its keys, ranges and checks, declared by the vendor.

`manifest.semantic` walks providers, templates and streams once and hands each node to its
vendor's `ManifestRules`; it knows no vendor itself. Problems are ``(path, message, severity,
on_key)`` tuples, located by the caller. Pure and defensive about types: a value of the wrong
type was already reported by the JSON Schema and is skipped here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # expansion (and its resources) is not loaded to validate
    from livesnap_reconcile.core.expansion import StreamExpansion

Path = tuple[str | int, ...]
Problem = tuple[Path, str, str, bool]  # path, message, severity, locate on the key


def err(path: Path, message: str, *, on_key: bool = False) -> Problem:
    return path, message, "error", on_key


def required(node: Mapping[str, Any], path: Path, keys: tuple[str, ...], what: str) -> Iterator[Problem]:
    for key in keys:
        if key not in node:
            yield err(path, f"missing required key {key!r} ({what})", on_key=True)


class ManifestRules:
    """One vendor's part of the manifest language (defaults: nothing vendor-specific)."""

    vendor: str = ""
    word: str = ""  # how messages name the vendor ("Alibaba")
    interval: tuple[int, int] = (1, 86400)  # seconds between snapshots, inclusive
    template_only: tuple[str, ...] = ()  # keys only this vendor's templates have
    stream_only: tuple[str, ...] = ()  # ... its streams have (all required)
    snapshot_only: tuple[str, ...] = ()  # ... its snapshots have
    provider_only: tuple[str, ...] = ()  # ... its providers have
    default_region: str | None = None  # when a provider names none

    def template_attributes(self, spec: Mapping[str, Any], *, remote_name: str, region: str) -> dict[str, Any]:
        """A manifest template as the attributes the vendor will read back (its defaults filled in)."""
        raise NotImplementedError

    def expand_stream(self, stream_name: str, stream: Mapping[str, Any], *, namespace: str,
                      now: int) -> StreamExpansion:
        """A stream's snapshots at ``now`` as this vendor's desired objects (DESIGN.md §3)."""
        raise NotImplementedError

    def check_template(self, template: Mapping[str, Any], path: Path, remote_name: str | None) -> Iterator[Problem]:
        return iter(())

    def check_template_id(self, ref: Mapping[str, Any], path: Path) -> Iterator[Problem]:
        """A snapshot's ``template: {id: ...}`` naming a template livesnap does not manage."""
        return iter(())

    def check_snapshot(self, snap: Mapping[str, Any], path: Path, *, namespace: str | None,
                       stream: str, name: str) -> Iterator[Problem]:
        return iter(())

    def check_snapshots(self, snapshots: Mapping[str, Any], path: Path) -> Iterator[Problem]:
        """Rules over all snapshots of one stream together."""
        return iter(())

    def check_streams(self, streams: Mapping[str, Mapping[str, Any]]) -> Iterator[Problem]:
        """Rules over all of this vendor's streams together (paths start at ``streams``)."""
        return iter(())
