"""The shared vocabulary of livesnap: desired resources, remote objects, provider settings.

Every layer speaks in these types, so `manifest`, `state` and `providers` never need to import
each other. They are frozen, JSON-friendly and carry no behaviour beyond small helpers; nothing
here does I/O or reads the clock.

Attribute shapes (the same for a desired resource, a state entry and a normalised remote object,
so the planner can compare them key by key; times are Unix seconds, UTC):

- template, alibaba: ``{"name", "interval", "overwrite_format", "sequence_format"}``
  (formats are ``str | None``).
- template, tencent: ``{"name", "interval", "width", "height", "porn_flag", "cos_app_id",
  "cos_bucket", "cos_region", "cos_prefix", "cos_file_name", "description"}``
  (``cos_prefix``/``cos_file_name`` are ``str | None``, ``description`` is ``str``).
- job (alibaba): ``{"name", "rtmp_url", "output": {"bucket", "endpoint"}, "template",
  "callback_url", "status"}``; ``status`` is ``"started"`` or ``"paused"`` (a remote ``init`` job
  normalises to ``"paused"``), ``callback_url`` is ``str | None``.
- task (tencent): ``{"domain", "app", "stream", "start", "end", "template"}`` plus, on desired
  resources only, ``"scheduled_start"`` (the occurrence's start, which the address uses).

``template`` inside a job or task is a `TemplateRef` dict: ``{"ref": "template.<name>"}`` for a
template the manifest manages (resolved to an id by the planner), or ``{"id": "<remote id>"}``.
Remote objects always carry ``{"id": ...}``. Ids are strings for both vendors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Kind = str  # a kind registered in `livesnap_reconcile.vendors` (spec(kind) refuses others)
Vendor = str  # a vendor registered there (vendor_names())


@dataclass(frozen=True)
class ProviderConfig:
    """One entry of the manifest's ``providers:`` map."""

    name: str
    vendor: Vendor
    region: str
    endpoint: str | None = None
    profile: str | None = None
    max_rps: float | None = None
    site: str | None = None  # the vendor's site (Tencent: china or international); None: its default


@dataclass(frozen=True, slots=True)  # one per object: a fleet holds hundreds of thousands
class Resource:
    """A desired object, computed from the manifest at one instant."""

    address: str
    kind: Kind
    provider: str
    attributes: Mapping[str, Any]
    depends_on: tuple[str, ...] = ()
    protect: bool = False


@dataclass(frozen=True)
class Deferred:
    """An occurrence that lies beyond the vendor's horizon: reported, created by a later run."""

    address: str
    provider: str
    start: int
    end: int
    not_before: int  # earliest instant at which a run can create it


@dataclass(frozen=True)
class DeferredSummary:
    """All deferred occurrences when too many to list: how many, and the first and last ``not_before``."""

    count: int
    first: int
    last: int

    def merge(self, other: DeferredSummary | None) -> DeferredSummary:
        if other is None:
            return self
        return DeferredSummary(count=self.count + other.count, first=min(self.first, other.first),
                               last=max(self.last, other.last))


@dataclass(frozen=True)
class DesiredState:
    """What the manifest asks for at ``now``: the output of `manifest.expand`."""

    namespace: str
    providers: Mapping[str, ProviderConfig]
    resources: tuple[Resource, ...]
    deferred: tuple[Deferred, ...] = ()
    next_change_at: int | None = None
    # Set when ``deferred`` lists only the earliest of them: covers every deferred occurrence.
    deferred_summary: DeferredSummary | None = None


@dataclass(frozen=True, slots=True)  # one per object: a fleet holds hundreds of thousands
class RemoteObject:
    """A vendor object as a provider sees it, normalised to the attribute shapes above.

    ``status`` is the vendor's own lifecycle word, kept for reports: alibaba jobs
    ``init|started|paused``; tencent tasks ``pending|running|finished|stopped``; templates ``""``.
    """

    kind: Kind
    provider: str
    remote_id: str
    attributes: Mapping[str, Any]
    status: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)  # one per object: a fleet holds hundreds of thousands
class Known:
    """A managed object as recorded in state, handed to a provider's refresh."""

    address: str
    kind: Kind
    remote_id: str
    attributes: Mapping[str, Any]


@dataclass(frozen=True)
class RefreshQuery:
    """What a provider must look for: the objects state knows and those the manifest wants.

    Providers use it to keep refresh economical (only the Tencent time windows that can hold
    our tasks, only our JobName prefix, only our template names).
    """

    namespace: str
    known: tuple[Known, ...] = ()
    desired: tuple[Resource, ...] = ()
    now: int = 0
    # Called with the number of objects each listing step found, for a progress line; never required.
    progress: Callable[[int], None] | None = field(default=None, compare=False, repr=False)


def template_ref(address: str) -> dict[str, str]:
    return {"ref": address}


def template_id(remote_id: str) -> dict[str, str]:
    return {"id": str(remote_id)}
