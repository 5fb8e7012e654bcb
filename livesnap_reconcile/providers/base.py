"""The Provider protocol: what the planner and applier may ask of a vendor, without knowing it.

A provider lists the remote objects relevant to a `RefreshQuery` and performs one write at a
time on one object. Every method takes and returns the normalised attribute shapes of
`livesnap_reconcile.resources`; template references are already resolved to ``{"id": ...}``
by the caller. Failures raise the `ProviderError` subtree of `livesnap_reconcile.errors`.

This module holds no vendor detail and does no I/O.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from livesnap_reconcile.resources import Kind, RefreshQuery, RemoteObject


@dataclass(frozen=True)
class Limits:
    """What a provider's account cannot do, so a plan can say so instead of failing at apply.

    ``unreadable`` kinds cannot be listed: refresh returns them as state recorded them (``why``
    says why, for the plan's notice). ``unavailable`` maps (kind, plan action) to the reason that
    action cannot be carried out there.
    """

    why: str = ""
    unreadable: tuple[str, ...] = ()
    unavailable: Mapping[tuple[str, str], str] = field(default_factory=dict)


class Latency(Protocol):
    def seconds(self) -> float | None:
        """The smoothed send-to-answer time of this provider's requests; None before any answer."""
        ...


class Pace(Protocol):
    """How fast a provider may go: what the applier sizes its worker pool from (`provider.pace`)."""

    latency: Latency

    def rate(self) -> float:
        """Requests per second it may send now."""
        ...


class Provider(Protocol):
    name: str
    vendor: str
    endpoint: str  # the base URL calls go to; state records it to refuse cross-endpoint use

    def refresh(self, query: RefreshQuery) -> list[RemoteObject]:
        """Every remote object that state knows or that could match a desired one.

        Objects in ``query.known`` that no longer exist are simply absent from the result.
        Only objects carrying our namespace are returned.
        """
        ...

    def get(self, kind: Kind, remote_id: str) -> RemoteObject | None:
        """One object by id, or None if the vendor says it does not exist."""
        ...

    def find(self, kind: Kind, attributes: Mapping[str, Any], *, now: int,
             exclude: Collection[str] = ()) -> RemoteObject | None:
        """The live object matching a desired one (identity of DESIGN.md §3), if any.

        Used after a create whose outcome is unknown, before any retry. Stopped Tencent tasks
        and paused predecessor jobs never match, nor do the ids in ``exclude``: objects already
        recorded at other addresses (two snapshots may share an identity; each owns one object).
        """
        ...

    def create(self, kind: Kind, attributes: Mapping[str, Any]) -> RemoteObject:
        """Create one object, running: the applier stops one whose desired status is ``paused``.

        Raises `UnknownOutcome` when the response was lost.
        """
        ...

    def update(self, kind: Kind, remote_id: str, attributes: Mapping[str, Any]) -> RemoteObject:
        """Update a template in place."""
        ...

    def delete(self, kind: Kind, remote_id: str, attributes: Mapping[str, Any]) -> None:
        """Remove an object: Tencent task stop-if-running then delete; Alibaba job stop; template delete.

        An object that is already gone is not an error.
        """
        ...

    def start(self, remote_id: str) -> RemoteObject:
        """Start an Alibaba job."""
        ...

    def stop(self, remote_id: str) -> RemoteObject:
        """Stop (pause) an Alibaba job."""
        ...

    def restart(self, remote_id: str) -> RemoteObject:
        """Restart a running Alibaba job, so it picks up its template's current settings."""
        ...

    def limits(self) -> Limits | None:
        """What this account cannot do (None: everything livesnap needs)."""
        ...

    def close(self) -> None: ...
