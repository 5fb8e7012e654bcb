"""The Alibaba Cloud ICE provider: templates and persistent live snapshot jobs.

Owns: the Provider protocol on top of `IceClient`: refresh (templates by list + get, jobs by get
for known ids and a namespace-prefix list for discovery; every known id is kept whatever its name,
so an imported console object stays managed), find after an unknown-outcome create, and the
writes. ICE has no job delete: deleting a job stops it. Job listings live in `listing`. It must
not plan or decide which change to make, and must not import the Tencent provider.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any

from livesnap_reconcile.errors import Invalid, NotFound
from livesnap_reconcile.providers.alibaba import listing, model
from livesnap_reconcile.providers.alibaba.client import IceClient
from livesnap_reconcile.providers.alibaba.files import SnapshotFile, snapshot_files
from livesnap_reconcile.resources import Kind, RefreshQuery, RemoteObject
from livesnap_reconcile.vendors.alibaba.job import WAITING, job_name_prefix

DAY = listing.DAY
PAGE_SIZE = listing.PAGE_SIZE
FUTURE_SLACK = 3600  # listings reach an hour past now: a vendor clock ahead of ours still shows new jobs
# SendLiveSnapshotJobCommand's answer when the job's RTMP stream is not being ingested.
STREAM_NOT_LIVE = "StreamNotFound"


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
        known = {k.remote_id for k in query.known if k.kind == "template"}
        seen = set(known)
        for item in self._list_templates(prefix):
            if str(item.get("TemplateName", "")).startswith(prefix):
                seen.add(str(item["TemplateId"]))
        for template_id in sorted(seen):
            obj = self.get("template", template_id)
            # A known template is ours whatever its name (one imported from the console has none of ours).
            if obj is not None and (template_id in known or obj.attributes["name"].startswith(prefix)):
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
        desired = [r for r in query.desired if r.kind == "job"]
        wanted = {r.attributes.get("name") for r in desired}
        known = {k.remote_id: k for k in query.known if k.kind == "job"}
        to_get: set[str] = set(known)
        # One listing serves three purposes: known jobs still carrying their recorded name are
        # read from it (no Get each); jobs a desired resource could adopt, and running jobs
        # carrying our prefix (unexpected drift), are fetched in full. Paused predecessors of
        # replaced jobs are left alone.
        if wanted or known:
            now = int(self._clock())
            horizon = now - self.history
            listed: set[str] = set()
            for item in listing.list_jobs(self.client, prefix, start=horizon, end=now + FUTURE_SLACK):
                job_id, name = str(item.get("JobId")), str(item.get("JobName", ""))
                listed.add(name)
                recorded = known.get(job_id)
                if recorded is not None and recorded.attributes.get("name") == name and item.get("SnapshotOutput"):
                    to_get.discard(job_id)
                    yield model.job_object_from_list(item, recorded=recorded.attributes, provider=self.name)
                elif name in wanted or (name.startswith(prefix) and item.get("Status") != "paused"):
                    to_get.add(job_id)
            # A desired job that state does not hold and the recent listing did not show would be
            # created: ICE keeps every job forever, so look further back first (only then: a
            # steady state, everything in state, sends no request for this).
            in_state = {k.address for k in query.known}
            missing = {str(r.attributes.get("name")) for r in desired if r.address not in in_state} - listed
            if missing:
                to_get |= {str(i.get("JobId")) for i in listing.search_names(self.client, missing, before=horizon)}
        for job_id in sorted(to_get):  # known jobs older than the listed history, and discoveries
            obj = self.get("job", job_id)
            # A known job is ours whatever its name (one imported from the console has none of ours).
            if obj is not None and (job_id in known or obj.attributes["name"].startswith(prefix)):
                yield obj

    def find(self, kind: Kind, attributes: Mapping[str, Any], *, now: int,
             exclude: Collection[str] = ()) -> RemoteObject | None:
        name = str(attributes.get("name") or "")
        if kind == "template":
            for item in self._list_templates(name):
                if item.get("TemplateName") == name and str(item.get("TemplateId")) not in exclude:
                    return self.get("template", str(item["TemplateId"]))
            return None
        if kind == "job":
            matches = [i for i in listing.submitted(self.client, name, at=now) if str(i.get("JobId")) not in exclude]
            # Prefer a running job, then the newest: the one our lost create most likely made.
            matches.sort(key=lambda i: (i.get("Status") == "started", str(i.get("CreateTime") or "")), reverse=True)
            return self.get("job", str(matches[0]["JobId"])) if matches else None
        raise self._kind_error(kind)

    def snapshot_files(self, job_id: str, *, start: int, end: int) -> list[SnapshotFile]:
        """The snapshots job ``job_id`` wrote in [start, end] (Unix seconds), oldest first."""
        return snapshot_files(self.client, job_id, start=start, end=end)

    # --- writes -----------------------------------------------------------------------------

    def create(self, kind: Kind, attributes: Mapping[str, Any]) -> RemoteObject:
        if kind == "template":
            data = self.client.rpc("CreateLiveSnapshotTemplate", model.template_params(attributes))
            return self._template_from(str(data["TemplateId"]), attributes)
        if kind == "job":
            data = self.client.rpc("SubmitLiveSnapshotJob", model.job_params(attributes, provider=self.name))
            # A job to be paused is submitted running and stopped by the applier afterwards, so a
            # failed stop still leaves the submitted job recorded (ICE has no paused submit).
            return model.starting(self._must_get(str(data["JobId"])))
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
        return self._run("start", remote_id)

    def restart(self, remote_id: str) -> RemoteObject:
        return self._run("restart", remote_id)

    def _run(self, command: str, remote_id: str) -> RemoteObject:
        """Start or restart a job; one whose stream is not live is returned waiting for it.

        Like a submit, a job just (re)started may read `init` for a moment: it was asked to run,
        so it is recorded as started.
        """
        try:
            self.client.rpc("SendLiveSnapshotJobCommand", {"JobId": remote_id, "Command": command})
        except Invalid as err:
            if err.code == STREAM_NOT_LIVE:
                obj = model.starting(self._must_get(remote_id))
                return RemoteObject(kind=obj.kind, provider=obj.provider, remote_id=obj.remote_id,
                                    attributes={**obj.attributes, "status": "started", WAITING: True},
                                    status=obj.status, extra=obj.extra)
            if err.code != "JobAlreadyStarted":
                raise
        return model.starting(self._must_get(remote_id))

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

    def limits(self) -> None:
        return None  # every action livesnap needs is published for every ICE account

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
