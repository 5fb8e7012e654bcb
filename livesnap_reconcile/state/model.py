"""The state model: what livesnap recorded about the objects it manages, as frozen data.

Owns `State` (format_version, lineage, serial, providers, entries) and `StateEntry`, and the one
boundary to JSON (`to_dict`/`from_dict`), which validates every field so that a hand-edited or
truncated file is refused with `StateCorrupt` instead of surfacing as a KeyError deep in the
planner. Nothing here touches the disk, reads the clock or knows about locking: persistence is
`local.py`, the interface for other backends is `backend.py`.

`with_entry`/`without`/`with_provider` return new states and leave `serial` alone: the serial
counts writes, so only a backend bumps it (``write`` returns the state as written, serial + 1).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from livesnap_reconcile.errors import StateCorrupt
from livesnap_reconcile.resources import Known
from livesnap_reconcile.vendors import kinds, spec

# Bump when the on-disk shape changes incompatibly; readers refuse anything newer.
FORMAT_VERSION = 1

_ENTRY_TYPES: dict[str, type | tuple[type, ...]] = {
    "kind": str,
    "provider": str,
    "remote_id": str,
    "attributes": Mapping,
    "created_at": int,
    "protect": bool,
    "status": str,
}
_ENTRY_REQUIRED = ("kind", "provider", "remote_id", "attributes", "created_at")


def _plain(value: Any) -> Any:
    """Mappings and sequences as JSON-ready dicts and lists (tuples, MappingProxyType, ...)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _type_problem(name: str, value: Any, expected: type | tuple[type, ...]) -> str | None:
    # bool is an int subclass: a `created_at: true` must not pass as a timestamp.
    if expected is int and isinstance(value, bool):
        return f"{name} must be an integer, not {value!r}"
    if not isinstance(value, expected):
        want = expected.__name__ if isinstance(expected, type) else "/".join(t.__name__ for t in expected)
        return f"{name} must be {_TYPE_WORDS.get(want, want)}, not {type(value).__name__}"
    return None


_TYPE_WORDS = {"str": "a string", "int": "an integer", "bool": "a boolean", "Mapping": "an object"}


def _entry_problem(address: str, fields: Mapping[str, Any]) -> str | None:
    if not isinstance(address, str) or not address:
        return f"resource address must be a non-empty string, not {address!r}"
    for name in _ENTRY_REQUIRED:
        if name not in fields:
            return f"resource {address}: missing key {name!r}"
    for name, expected in _ENTRY_TYPES.items():
        if name in fields:
            problem = _type_problem(name, fields[name], expected)
            if problem:
                return f"resource {address}: {problem}"
    if fields["kind"] not in kinds():
        return f"resource {address}: unknown kind {fields['kind']!r} (expected one of {', '.join(kinds())})"
    return None


def _attributes_problem(address: str, fields: Mapping[str, Any]) -> str | None:
    """Read side only: a hand-edited file must fail here, naming the field, not deep in a plan."""
    problem = spec(fields["kind"]).attribute_problem(fields["attributes"])
    return f"resource {address}: {problem}" if problem else None


@dataclass(frozen=True, slots=True)  # one per object: a fleet holds hundreds of thousands
class StateEntry:
    """One managed remote object. ``attributes`` uses the shapes documented in `resources`;
    ``created_at`` is Unix seconds; ``status`` is the vendor lifecycle word last seen."""

    address: str
    kind: str
    provider: str
    remote_id: str
    attributes: Mapping[str, Any]
    created_at: int
    protect: bool = False
    status: str = ""

    def __post_init__(self) -> None:
        # Refuse here what `from_dict` would refuse, so we never write a file we cannot read back.
        problem = _entry_problem(self.address, self._fields())
        if problem:
            raise TypeError(f"invalid state entry: {problem}")
        # Hold attributes in their JSON shape (dicts and lists), so an entry compares equal to
        # itself read back from disk: tuples would come back as lists.
        object.__setattr__(self, "attributes", _plain(self.attributes))

    def _fields(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "provider": self.provider,
            "remote_id": self.remote_id,
            "attributes": self.attributes,
            "created_at": self.created_at,
            "protect": self.protect,
            "status": self.status,
        }

    def to_dict(self) -> dict[str, Any]:
        return _plain(self._fields())

    @classmethod
    def from_dict(cls, address: str, d: Any) -> StateEntry:
        """Build an entry from its JSON object (parsed JSON: the entry keeps its attributes without a
        copy, so the caller must not change them afterwards); missing key or wrong type → `StateCorrupt`."""
        if not isinstance(d, Mapping):
            raise StateCorrupt(f"resource {address}: expected an object, not {type(d).__name__}")
        problem = _entry_problem(address, d) or _attributes_problem(address, d)
        if problem:
            raise StateCorrupt(problem)
        # Checked just above, and a JSON object's attributes are already in their JSON shape: the
        # entry takes them over as they are instead of `__post_init__` checking and copying them
        # again (at 100k entries the copies doubled the memory of reading a state file).
        entry = object.__new__(cls)
        for name, value in (("address", address), ("kind", d["kind"]), ("provider", d["provider"]),
                            ("remote_id", d["remote_id"]), ("attributes", d["attributes"]),
                            ("created_at", d["created_at"]), ("protect", d.get("protect", False)),
                            ("status", d.get("status", ""))):
            object.__setattr__(entry, name, value)
        return entry

    def known(self) -> Known:
        """This entry as the `resources.Known` a provider's refresh takes."""
        return Known(address=self.address, kind=self.kind, remote_id=self.remote_id,  # type: ignore[arg-type]
                     attributes=self.attributes)


@dataclass(frozen=True)
class State:
    """Everything livesnap recorded. ``providers`` maps a provider name to
    ``{"vendor": ..., "endpoint": ...}``: the endpoint the entries were made against."""

    format_version: int
    lineage: str
    serial: int
    resources: Mapping[str, StateEntry] = field(default_factory=dict)
    providers: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @classmethod
    def new(cls, lineage: str | None = None) -> State:
        """An empty state, serial 0. A fresh uuid4 lineage unless one is given (a saved plan
        made before any state existed carries the lineage its first write must use)."""
        return cls(format_version=FORMAT_VERSION, lineage=lineage or str(uuid.uuid4()), serial=0)

    def with_entry(self, entry: StateEntry) -> State:
        return replace(self, resources={**self.resources, entry.address: entry})

    def without(self, address: str) -> State:
        return replace(self, resources={a: e for a, e in self.resources.items() if a != address})

    def with_provider(self, name: str, vendor: str, endpoint: str) -> State:
        record = {"vendor": str(vendor), "endpoint": str(endpoint)}
        return replace(self, providers={**self.providers, name: record})

    def known(self, provider: str | None = None) -> tuple[Known, ...]:
        """Entries (of one provider, or all) as `Known`, sorted by address, for refresh queries."""
        return tuple(
            e.known() for a, e in sorted(self.resources.items()) if provider is None or e.provider == provider
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.to_dict_header(),
            "resources": {a: self.resources[a].to_dict() for a in sorted(self.resources)},
        }

    def to_dict_header(self) -> dict[str, Any]:
        """Everything but ``resources`` (the encoder serialises entries separately)."""
        return {
            "format_version": self.format_version,
            "lineage": self.lineage,
            "serial": self.serial,
            "providers": _plain(self.providers),
        }

    @classmethod
    def from_dict(cls, d: Any) -> State:
        """Validate and build. Newer formats, missing keys and wrong types → `StateCorrupt`."""
        if not isinstance(d, Mapping):
            raise StateCorrupt(f"expected a JSON object at the top level, not {type(d).__name__}")
        version = _header_field(d, "format_version", int)
        if version > FORMAT_VERSION:
            raise StateCorrupt(
                f"format_version {version} was written by a newer livesnap "
                f"(this one reads up to {FORMAT_VERSION}); upgrade livesnap"
            )
        if version < 1:
            raise StateCorrupt(f"format_version must be at least 1, not {version}")
        lineage = _header_field(d, "lineage", str)
        if not lineage:
            raise StateCorrupt("lineage must not be empty")
        serial = _header_field(d, "serial", int)
        if serial < 0:
            raise StateCorrupt(f"serial must not be negative, not {serial}")
        raw_resources = _header_field(d, "resources", Mapping)
        return cls(
            format_version=version,
            lineage=lineage,
            serial=serial,
            resources={a: StateEntry.from_dict(a, e) for a, e in raw_resources.items()},
            providers=_providers_from(d.get("providers", {})),
        )


def _header_field(d: Mapping[str, Any], name: str, expected: type) -> Any:
    if name not in d:
        raise StateCorrupt(f"missing key {name!r}")
    problem = _type_problem(name, d[name], expected)
    if problem:
        raise StateCorrupt(problem)
    return d[name]


def _providers_from(raw: Any) -> dict[str, dict[str, str]]:
    if not isinstance(raw, Mapping):
        raise StateCorrupt(f"providers must be an object, not {type(raw).__name__}")
    out: dict[str, dict[str, str]] = {}
    for name, record in raw.items():
        if not isinstance(record, Mapping):
            raise StateCorrupt(f"provider {name}: expected an object, not {type(record).__name__}")
        for key in ("vendor", "endpoint"):
            if key not in record:
                raise StateCorrupt(f"provider {name}: missing key {key!r}")
            problem = _type_problem(key, record[key], str)
            if problem:
                raise StateCorrupt(f"provider {name}: {problem}")
        out[name] = {"vendor": record["vendor"], "endpoint": record["endpoint"]}
    return out
