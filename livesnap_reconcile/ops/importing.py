"""`livesnap import` behind the command: check a remote object against the manifest and record it.

Owns the refusals (address not desired, already managed, id already claimed, object missing or
already stopped) and the one state write. It reads one object with `Provider.get` and never
writes to a vendor; differences from the manifest are reported for the next plan to repair.
The caller holds the state lock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from livesnap_reconcile.errors import LivesnapError
from livesnap_reconcile.vendors import spec


@dataclass(frozen=True)
class Imported:
    serial: int
    differences: tuple[str, ...]


def import_object(session, backend, address: str, remote_id: str) -> Imported:
    from livesnap_reconcile.ops.session import build_providers, endpoints, load_desired
    from livesnap_reconcile.state import State, StateEntry, check_endpoints

    now = session.now()
    _, desired = load_desired(session, now=now)
    resource = _desired_resource(desired, address)
    state = backend.read() or State.new()
    _check_unclaimed(state, address, resource, remote_id)
    providers = build_providers(session, desired.providers)
    check_endpoints(state, endpoints(providers))
    provider = providers[resource.provider]
    obj = provider.get(resource.kind, remote_id)
    if obj is None:
        raise LivesnapError(f"{resource.kind} {remote_id} does not exist at provider {resource.provider}; "
                            "nothing was imported")
    kind = spec(resource.kind)
    refused = kind.not_importable(obj)
    if refused:
        raise LivesnapError(f"{resource.kind} {remote_id} {refused}; not importing it "
                            f"(the next plan creates {address})")
    attributes = dict(obj.attributes)
    attributes.update({k: resource.attributes.get(k) for k in kind.desired_only})
    entry = StateEntry(address=address, kind=resource.kind, provider=resource.provider, remote_id=remote_id,
                       attributes=attributes, created_at=int(now), protect=resource.protect, status=obj.status)
    state = state.with_provider(resource.provider, provider.vendor, provider.endpoint).with_entry(entry)
    written = backend.write(state)
    return Imported(written.serial, differences(resource.kind, attributes, _resolved(resource.kind, resource.attributes, state)))


def _desired_resource(desired, address: str):
    wanted = {r.address: r for r in desired.resources}
    if address in wanted:
        return wanted[address]
    deferred = {d.address for d in desired.deferred}
    if address in deferred:
        raise LivesnapError(f"{address} starts beyond the vendor's horizon and is not created yet; "
                            "nothing to import")
    near = sorted(a for a in wanted if a.startswith(address.split("[", 1)[0]))[:5]
    hint = f" (desired addresses like it: {', '.join(near)})" if near else ""
    raise LivesnapError(f"{address} is not desired by the manifests; add it first, then import{hint}")


def _check_unclaimed(state, address: str, resource, remote_id: str) -> None:
    if address in state.resources:
        raise LivesnapError(f"{address} is already managed (id {state.resources[address].remote_id}); "
                            "`livesnap state rm` it first to import another object")
    for other, entry in sorted(state.resources.items()):
        if (entry.provider, entry.kind, entry.remote_id) == (resource.provider, resource.kind, remote_id):
            raise LivesnapError(f"{resource.kind} {remote_id} is already managed as {other}")


def _resolved(resource_kind: str, attributes: Mapping[str, Any], state) -> dict[str, Any]:
    """Desired attributes with a managed template's reference turned into its recorded id."""
    kind = spec(resource_kind)
    ref = kind.reference(attributes).get("ref")
    if ref and ref in state.resources:
        return kind.with_reference_id(attributes, state.resources[ref].remote_id)
    return dict(attributes)


def differences(kind: str, remote: Mapping[str, Any], desired: Mapping[str, Any]) -> tuple[str, ...]:
    """``key: remote -> desired`` lines, marking those that force a replacement."""
    from livesnap_reconcile.plan.compare import attribute_diff, comparable
    from livesnap_reconcile.plan.render_attrs import attribute_changes

    _, forcing = attribute_diff(kind, remote, desired)
    lines = []
    for line in attribute_changes(comparable(kind, remote), comparable(kind, desired)):
        key = line.split(":", 1)[0]
        forced = any(key == f or key.startswith(f + ".") for f in forcing)
        lines.append(line + (" (forces replacement)" if forced else ""))
    if spec(kind).status_action(remote, desired) is not None:
        lines.append(f"status: {remote.get('status')} -> {desired.get('status')}")
    return tuple(lines)
