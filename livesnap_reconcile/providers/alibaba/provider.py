"""The Alibaba Cloud ICE provider: templates and persistent live snapshot jobs.

Owns: the Provider protocol on top of `IceClient`: refresh (templates by list + get, jobs by get
for known ids and a namespace-prefix list for discovery), find after an unknown-outcome create,
and the writes. ICE has no job delete: deleting a job stops it. It must not plan or decide which
change to make, and must not import the Tencent provider.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from livesnap_reconcile.errors import Invalid, NotFound
from livesnap_reconcile.providers.alibaba import model
from livesnap_reconcile.providers.alibaba.client import IceClient
from livesnap_reconcile.resources import Kind, RefreshQuery, RemoteObject
from livesnap_reconcile.vendors.alibaba.job import job_name_prefix

DAY = 86400
# ListLiveSnapshotJobs accepts at most 30 days per call; a minute short of it, so a server that
# compares strictly does not refuse every refresh.
LIST_SPAN = 30 * DAY - 60
PAGE_SIZE = 100


class AlibabaProvider:
    vendor = "alibaba"

    def __init__(
        self,
        *,
        name: str,
        client: IceClient,
        clock: Callable[[], float],
        history_days: int = 90,
    ) -> None:
        self.name = name
        self.client = client
        self.endpoint = client.endpoint
        self._clock = clock
        self.history = history_days * DAY

    def __repr__(self) -> str:
        return f"AlibabaProvider(name={self.name!r}, endpoint={self.endpoint!r})"

    @property
    def requests(self) -> Mapping[str, int]:
        """Requests sent so far, per action (retries included)."""
        return self.client.caller.counts

    # --- reads ------------------------------------------------------------------------------

    def get(self, kind: Kind, remote_id: str) -> RemoteObject | None:
        try:
            if kind == "template":
                data = self.client.rpc("GetLiveSnapshotTemplate", {"TemplateId": remote_id})
                return model.template_object(data, provider=self.name)
            if kind == "job":
                data = self.client.rpc("GetLiveSnapshotJob", {"JobId": remote_id})
                return model.job_object(data, provider=self.name)
        except NotFound:
            return None
        raise self._kind_error(kind)

    def refresh(self, query: RefreshQuery) -> list[RemoteObject]:
        kinds = {k.kind for k in query.known} | {r.kind for r in query.desired}
        found: dict[tuple[str, str], RemoteObject] = {}
        if "template" in kinds:
            for obj in self._refresh_templates(query):
                found[(obj.kind, obj.remote_id)] = obj
                if query.progress:
                    query.progress(1)
        if "job" in kinds:
            for obj in self._refresh_jobs(query):
                found[(obj.kind, obj.remote_id)] = obj
                if query.progress:
                    query.progress(1)
        return [found[key] for key in sorted(found)]

    def _refresh_templates(self, query: RefreshQuery) -> Iterator[RemoteObject]:
        prefix = f"{query.namespace}-"
        seen: set[str] = set()
        for item in self._list_templates(prefix):
            if str(item.get("TemplateName", "")).startswith(prefix):
                seen.add(str(item["TemplateId"]))
        seen |= {k.remote_id for k in query.known if k.kind == "template"}
        for template_id in sorted(seen):
            obj = self.get("template", template_id)
            if obj is not None and obj.attributes["name"].startswith(prefix):
                yield obj

    def _list_templates(self, keyword: str) -> Iterator[Mapping[str, Any]]:
        page = 1
        while True:
            data = self.client.rpc("ListLiveSnapshotTemplates", {
                "PageNo": page, "PageSize": PAGE_SIZE, "SearchKeyWord": keyword, "Type": "custom",
            })
            items = data.get("TemplateList") or []
            yield from items
            if not items or page * PAGE_SIZE >= int(data.get("TotalCount") or 0):
                return
            page += 1

    def _refresh_jobs(self, query: RefreshQuery) -> Iterator[RemoteObject]:
        prefix = job_name_prefix(query.namespace)
        wanted = {r.attributes.get("name") for r in query.desired if r.kind == "job"}
        known = {k.remote_id: k for k in query.known if k.kind == "job"}
        to_get: set[str] = set(known)
        # One listing serves three purposes: known jobs still carrying their recorded name are
        # read from it (no Get each); jobs a desired resource could adopt, and running jobs
        # carrying our prefix (unexpected drift), are fetched in full. Paused predecessors of
        # replaced jobs are left alone.
        if wanted or known:
            now = int(self._clock())
            for item in self._list_jobs(prefix, start=now - self.history, end=now + 3600):
                job_id, name = str(item.get("JobId")), str(item.get("JobName", ""))
                recorded = known.get(job_id)
                if recorded is not None and recorded.attributes.get("name") == name and item.get("SnapshotOutput"):
                    to_get.discard(job_id)
                    yield model.job_object_from_list(item, recorded=recorded.attributes, provider=self.name)
                elif name in wanted or (name.startswith(prefix) and item.get("Status") != "paused"):
                    to_get.add(job_id)
        for job_id in sorted(to_get):  # known jobs older than the listed history, and discoveries
            obj = self.get("job", job_id)
            if obj is not None and obj.attributes["name"].startswith(prefix):
                yield obj

    def _list_jobs(self, keyword: str, *, start: int, end: int) -> Iterator[Mapping[str, Any]]:
        """All list items whose CreateTime lies in [start, end], newest slice first."""
        seen: set[str] = set()
        hi = end
        while hi > start:
            lo = max(start, hi - LIST_SPAN)
            for item in self._list_job_pages(keyword, lo=lo, hi=hi):
                if str(item.get("JobId")) not in seen:
                    seen.add(str(item.get("JobId")))
                    yield item
            hi = lo

    def _list_job_pages(self, keyword: str, *, lo: int, hi: int) -> Iterator[Mapping[str, Any]]:
        page = 1
        while True:
            data = self.client.rpc("ListLiveSnapshotJobs", {
                "PageNo": page, "PageSize": PAGE_SIZE, "SearchKeyWord": keyword, "SortBy": "desc",
                "StartTime": model.ice_time(lo), "EndTime": model.ice_time(hi),
            })
            items = data.get("JobList") or []
            yield from items
            if not items or page * PAGE_SIZE >= int(data.get("TotalCount") or 0):
                return
            page += 1

    def find(self, kind: Kind, attributes: Mapping[str, Any], *, now: int) -> RemoteObject | None:
        name = str(attributes.get("name") or "")
        if kind == "template":
            for item in self._list_templates(name):
                if item.get("TemplateName") == name:
                    return self.get("template", str(item["TemplateId"]))
            return None
        if kind == "job":
            matches = [i for i in self._list_jobs(name, start=now + 3600 - LIST_SPAN, end=now + 3600) if i.get("JobName") == name]
            # Prefer a running job, then the newest: the one our lost create most likely made.
            matches.sort(key=lambda i: (i.get("Status") == "started", str(i.get("CreateTime") or "")), reverse=True)
            return self.get("job", str(matches[0]["JobId"])) if matches else None
        raise self._kind_error(kind)

    # --- writes -----------------------------------------------------------------------------

    def create(self, kind: Kind, attributes: Mapping[str, Any]) -> RemoteObject:
        if kind == "template":
            data = self.client.rpc("CreateLiveSnapshotTemplate", model.template_params(attributes))
            return self._template_from(str(data["TemplateId"]), attributes)
        if kind == "job":
            data = self.client.rpc("SubmitLiveSnapshotJob", model.job_params(attributes, provider=self.name))
            job_id = str(data["JobId"])
            if attributes.get("status") == "paused":
                return self.stop(job_id)
            return model.starting(self._must_get(job_id))
        raise self._kind_error(kind)

    def update(self, kind: Kind, remote_id: str, attributes: Mapping[str, Any]) -> RemoteObject:
        if kind != "template":
            raise Invalid(f"provider {self.name!r}: only templates are updated in place, not {kind}s", provider=self.name)
        self.client.rpc("UpdateLiveSnapshotTemplate", {"TemplateId": remote_id, **model.template_params(attributes)})
        # State records what the vendor kept, not what was asked (a format left out may be kept).
        return self.get("template", remote_id) or self._template_from(remote_id, attributes)

    def delete(self, kind: Kind, remote_id: str, attributes: Mapping[str, Any]) -> None:
        try:
            if kind == "template":
                self.client.rpc("DeleteLiveSnapshotTemplate", {"TemplateId": remote_id})
            elif kind == "job":
                self.stop(remote_id)  # ICE has no job delete: stop it and forget it
            else:
                raise self._kind_error(kind)
        except NotFound:
            return

    def start(self, remote_id: str) -> RemoteObject:
        try:
            self.client.rpc("SendLiveSnapshotJobCommand", {"JobId": remote_id, "Command": "start"})
        except Invalid as err:
            if err.code != "JobAlreadyStarted":
                raise
        return self._must_get(remote_id)

    def stop(self, remote_id: str) -> RemoteObject:
        try:
            self.client.rpc("SendLiveSnapshotJobCommand", {"JobId": remote_id, "Command": "stop"})
        except Invalid:
            # Stopping a job that is not running is refused by some servers; that is our goal anyway.
            obj = self._must_get(remote_id)
            if obj.status == "started":
                raise
            return obj
        return self._must_get(remote_id)

    def close(self) -> None:
        self.client.caller.client.close()

    # --- helpers ----------------------------------------------------------------------------

    def _must_get(self, job_id: str) -> RemoteObject:
        obj = self.get("job", job_id)
        if obj is None:
            raise NotFound(f"job {job_id} not found", provider=self.name, code="JobNotFound")
        return obj

    def _template_from(self, template_id: str, attributes: Mapping[str, Any]) -> RemoteObject:
        params = model.template_params(attributes)
        return model.template_object({"TemplateId": template_id, **params}, provider=self.name)

    def _kind_error(self, kind: str) -> Invalid:
        return Invalid(f"provider {self.name!r} (alibaba) does not manage {kind!r} objects", provider=self.name)
