"""The Tencent Cloud Live provider: snapshot templates, rules and one screenshot task per occurrence.

Owns: the Provider protocol on top of `LiveClient`: refresh (templates by the unpaged list, ours by
name prefix or by a known id; rules by the unpaged list, kept to the domains in play; tasks by
overlapping 7-day DescribeScreenshotTask windows over the span our tasks can occupy, all ScrollToken
pages, de-duplicated by TaskId), find after an unknown-outcome create, and the writes (task delete =
stop if running, then delete; a template still bound by a rule is refused naming the rule). Every
kind is listed whole, never by name, so a known object needs no fetch by id. It must not plan, and
must not import the Alibaba provider.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from typing import Any

from livesnap_reconcile.errors import Invalid, NotFound
from livesnap_reconcile.providers.base import Limits
from livesnap_reconcile.providers.tencent import international, model
from livesnap_reconcile.providers.tencent.client import LiveClient
from livesnap_reconcile.resources import Kind, RefreshQuery, RemoteObject
from livesnap_reconcile.vendors.tencent.rule import rule_key

FIND_SLACK = 60  # a task created after a lost response may start up to now, but not earlier than this


class TencentProvider:
    vendor = "tencent"

    def __init__(self, *, name: str, client: LiveClient, clock: Callable[[], float]) -> None:
        self.name = name
        self.client = client
        self.endpoint = client.endpoint
        self._clock = clock
        self._lock = threading.Lock()
        self._spans: dict[str, tuple[int, int]] = {}  # TaskId -> (start, end) seen, for cheap get()

    def __repr__(self) -> str:
        return f"TencentProvider(name={self.name!r}, endpoint={self.endpoint!r})"

    @property
    def requests(self) -> Mapping[str, int]:
        """Requests sent so far, per action (retries included)."""
        return self.client.caller.counts

    def _now(self) -> int:
        return int(self._clock())

    @property
    def _lists_tasks(self) -> bool:
        return self.client.serves("DescribeScreenshotTask")

    def limits(self) -> Limits | None:
        return None if self._lists_tasks else international.LIMITS

    def _unlisted(self, what: str) -> Invalid:
        return Invalid(f"provider {self.name!r}: cannot {what}: {international.LIMITS.why}", provider=self.name,
                       code="InvalidAction")

    # --- reads ------------------------------------------------------------------------------

    def refresh(self, query: RefreshQuery) -> list[RemoteObject]:
        kinds = {k.kind for k in query.known} | {r.kind for r in query.desired}
        out: list[RemoteObject] = []
        if "template" in kinds:
            # A known template is ours whatever its name (one imported from the console has none of ours).
            prefix = f"{query.namespace}-"
            known = {k.remote_id for k in query.known if k.kind == "template"}
            out += [t for t in self._templates() if t.remote_id in known or t.attributes["name"].startswith(prefix)]
        if query.progress:
            query.progress(len(out))
        if "task" in kinds:
            out += self._refresh_tasks(query)  # counts its tasks as each page comes
        if "rule" in kinds:
            domains = {k.attributes.get("domain") for k in query.known if k.kind == "rule"}
            domains |= {r.attributes.get("domain") for r in query.desired if r.kind == "rule"}
            rules = [r for r in self._rules() if r.attributes["domain"] in domains]
            out += rules
            if query.progress:
                query.progress(len(rules))
        return sorted(out, key=lambda o: (o.kind, o.remote_id))

    def _rules(self) -> list[RemoteObject]:
        data = self.client.rpc("DescribeLiveSnapshotRules")
        return [model.rule_object(r, provider=self.name) for r in data.get("Rules") or []]

    def _templates(self) -> list[RemoteObject]:
        data = self.client.rpc("DescribeLiveSnapshotTemplates")
        return [model.template_object(t, provider=self.name) for t in data.get("Templates") or []]

    def _refresh_tasks(self, query: RefreshQuery) -> list[RemoteObject]:
        if not self._lists_tasks:
            return international.recorded_tasks(query, provider=self.name, now=query.now or self._now())
        attrs = [k.attributes for k in query.known if k.kind == "task"]
        attrs += [r.attributes for r in query.desired if r.kind == "task"]
        combos = {(a["domain"], a["app"], a["stream"]) for a in attrs}
        starts = [int(a[key]) for a in attrs for key in ("start", "scheduled_start") if a.get(key) is not None]
        now = query.now or self._now()
        lo = max(min(starts), now - model.HISTORY + FIND_SLACK)
        hi = max(int(a["end"]) for a in attrs)
        if hi <= lo:
            return []
        found: dict[str, RemoteObject] = {}
        for window in model.windows(lo, hi):
            for item in self._describe(window, combos=combos):
                if (item.get("DomainName"), item.get("AppName"), item.get("StreamName")) in combos:
                    found.setdefault(str(item["TaskId"]), model.task_object(item, provider=self.name, now=now))
                    if query.progress:
                        query.progress(1)
        return list(found.values())

    def _describe(self, window: tuple[int, int], *, combos: Iterable[tuple[str, str, str]]) -> Iterator[Mapping[str, Any]]:
        """Every task of every ScrollToken page of one window, narrowed by the filters all combos share."""
        combos = list(combos)
        params: dict[str, Any] = {"StartTime": window[0], "EndTime": window[1]}
        for index, key in enumerate(("DomainName", "AppName", "StreamName")):
            values = {c[index] for c in combos}
            if len(values) == 1:
                params[key] = values.pop()
        token = ""
        while True:
            data = self.client.rpc("DescribeScreenshotTask", {**params, **({"ScrollToken": token} if token else {})})
            items = data.get("TaskList") or []
            with self._lock:
                for item in items:
                    self._spans[str(item["TaskId"])] = (int(item["StartTime"]), int(item["EndTime"]))
            yield from items
            token = str(data.get("ScrollToken") or "")
            if not token or not items:
                return

    def get(self, kind: Kind, remote_id: str) -> RemoteObject | None:
        if kind == "template":
            try:
                data = self.client.rpc("DescribeLiveSnapshotTemplate",
                                       {"TemplateId": model.wire_template_id(remote_id, provider=self.name)})
            except NotFound:
                return None
            return model.template_object(data["Template"], provider=self.name)
        if kind == "rule":
            return next((r for r in self._rules() if r.remote_id == remote_id), None)
        if kind == "task":
            if not self._lists_tasks:
                raise self._unlisted(f"read task {remote_id}")
            now = self._now()
            span = self._spans.get(remote_id)
            if span is not None:
                windows = [(max(span[0] - FIND_SLACK, now - model.HISTORY + FIND_SLACK), span[1] + FIND_SLACK)]
            else:  # unknown task: scan everything the vendor can still list (rare)
                windows = model.windows(now - model.HISTORY + FIND_SLACK, now + model.WINDOW)
            for window in windows:
                for item in self._describe(window, combos=()):
                    if str(item["TaskId"]) == remote_id:
                        return model.task_object(item, provider=self.name, now=now)
            return None
        raise self._kind_error(kind)

    def find(self, kind: Kind, attributes: Mapping[str, Any], *, now: int,
             exclude: Collection[str] = ()) -> RemoteObject | None:
        if kind == "template":
            name = attributes.get("name")
            return next((t for t in self._templates()
                         if t.attributes["name"] == name and t.remote_id not in exclude), None)
        if kind == "rule":
            key = rule_key(str(attributes["domain"]), str(attributes["app"]), str(attributes.get("stream") or ""))
            template = str((attributes.get("template") or {}).get("id"))
            return next((r for r in self._rules()
                         if r.remote_id == key and r.attributes["template"]["id"] == template
                         and r.remote_id not in exclude), None)
        if kind != "task":
            raise self._kind_error(kind)
        if not self._lists_tasks:
            raise Invalid(f"provider {self.name!r}: {international.UNKNOWN_CREATE}", provider=self.name,
                          code="OutcomeUnknown")
        scheduled = int(attributes.get("scheduled_start") or attributes["start"])
        end = int(attributes["end"])
        template = str((attributes.get("template") or {}).get("id", ""))
        lo = max(min(scheduled, int(attributes["start"])) - FIND_SLACK, now - model.HISTORY + FIND_SLACK)
        combo = (attributes["domain"], attributes["app"], attributes["stream"])
        matches = [
            item for item in self._describe((lo, min(end + FIND_SLACK, lo + model.WINDOW)), combos=[combo])
            if (item.get("DomainName"), item.get("AppName"), item.get("StreamName")) == combo
            and int(item["EndTime"]) == end and str(item.get("TemplateId")) == template
            and int(item["StartTime"]) >= scheduled - FIND_SLACK and int(item.get("Stopped") or 0) == 0
            and str(item["TaskId"]) not in exclude
        ]
        matches.sort(key=lambda i: (int(i["StartTime"]), str(i["TaskId"])))
        return model.task_object(matches[0], provider=self.name, now=now) if matches else None

    # --- writes -----------------------------------------------------------------------------

    def create(self, kind: Kind, attributes: Mapping[str, Any]) -> RemoteObject:
        if kind == "template":
            data = self.client.rpc("CreateLiveSnapshotTemplate", model.template_params(attributes))
            return self._template_from(data["TemplateId"], attributes)
        if kind == "rule":
            params = model.rule_params(attributes, provider=self.name)
            self.client.rpc("CreateLiveSnapshotRule", params)
            return model.rule_object(params, provider=self.name)
        if kind != "task":
            raise self._kind_error(kind)
        now = self._now()
        start = max(int(attributes["start"]), now)  # the vendor refuses a start in the past
        params = model.task_params(attributes, start=start, provider=self.name)
        data = self.client.rpc("CreateScreenshotTask", params)
        item = {**params, "TaskId": data["TaskId"], "Stopped": 0}
        with self._lock:
            self._spans[str(data["TaskId"])] = (start, int(params["EndTime"]))
        return model.task_object(item, provider=self.name, now=now)

    def update(self, kind: Kind, remote_id: str, attributes: Mapping[str, Any]) -> RemoteObject:
        if kind != "template":
            raise Invalid(f"provider {self.name!r}: only templates are updated in place, not {kind}s", provider=self.name)
        params = {"TemplateId": model.wire_template_id(remote_id, provider=self.name),
                  **model.template_params(attributes, update=True)}
        self.client.rpc("ModifyLiveSnapshotTemplate", params)
        # State records what the vendor kept, not what was asked: a field it did not change then
        # shows as a difference in the next plan instead of being hidden.
        return self.get("template", remote_id) or self._template_from(remote_id, attributes)

    def delete(self, kind: Kind, remote_id: str, attributes: Mapping[str, Any]) -> None:
        if kind == "template":
            self._delete_template(remote_id)
            return
        if kind == "rule":
            try:
                self.client.rpc("DeleteLiveSnapshotRule", model.rule_key_params(remote_id))
            except NotFound:
                pass
            return
        if kind != "task":
            raise self._kind_error(kind)
        self._delete_task(remote_id, attributes)

    def _delete_template(self, remote_id: str) -> None:
        try:
            self.client.rpc("DeleteLiveSnapshotTemplate", {"TemplateId": model.wire_template_id(remote_id, provider=self.name)})
        except NotFound:
            return
        except Invalid as err:
            if not err.code.endswith("ConfInUsed"):
                raise
            holders = [r.remote_id for r in self._rules() if r.attributes["template"]["id"] == str(remote_id)]
            named = ", ".join(f"domain {h.split('/')[0]} app {h.split('/')[1]}"
                              + (f" stream {h.split('/')[2]}" if h.split("/")[2] else "") for h in holders)
            raise Invalid(f"provider {self.name!r}: template {remote_id} is still bound by the snapshot rule "
                          f"{named or '(not listed)'}; a rule livesnap does not manage must be deleted first "
                          "(DeleteLiveSnapshotRule)", provider=self.name, code=err.code) from None

    def _delete_task(self, task_id: str, attributes: Mapping[str, Any]) -> None:
        if not self._lists_tasks:
            raise Invalid(f"provider {self.name!r}: cannot delete task {task_id}: "
                          f"{international.LIMITS.unavailable[('task', 'delete')]}", provider=self.name,
                          code="InvalidAction")
        now = self._now()
        start, end = attributes.get("start"), attributes.get("end")
        running = start is None or end is None or int(start) <= now < int(end)
        if running:
            try:
                self.client.rpc("StopScreenshotTask", {"TaskId": task_id})
            except NotFound:
                return
            except Invalid:
                pass  # already stopped or finished: the delete below is what matters
        try:
            self.client.rpc("DeleteScreenshotTask", {"TaskId": task_id})
        except NotFound:
            return
        except Invalid as err:
            # Unknown task ids come back as a bare InvalidParameter: gone counts as done.
            if err.code != "InvalidParameter" or self.get("task", task_id) is not None:
                raise

    def start(self, remote_id: str) -> RemoteObject:
        raise Invalid(f"provider {self.name!r}: Tencent tasks have no start; they run in their window", provider=self.name)

    def stop(self, remote_id: str) -> RemoteObject:
        raise Invalid(f"provider {self.name!r}: stop a Tencent task by deleting it", provider=self.name)

    def restart(self, remote_id: str) -> RemoteObject:
        raise Invalid(f"provider {self.name!r}: Tencent tasks and rules have no restart",
                      provider=self.name)

    def close(self) -> None:
        self.client.caller.client.close()

    def _template_from(self, template_id: Any, attributes: Mapping[str, Any]) -> RemoteObject:
        params = model.template_params(attributes)
        return model.template_object({"TemplateId": template_id, **params}, provider=self.name)

    def _kind_error(self, kind: str) -> Invalid:
        return Invalid(f"provider {self.name!r} (tencent) does not manage {kind!r} objects", provider=self.name)
