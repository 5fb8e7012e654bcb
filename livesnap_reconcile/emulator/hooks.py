"""Test hooks of the sandbox: read and change remote objects "behind livesnap's back".

They act on the store directly (no signature, no rate limit, not in `request_log`), as a person
in the vendor console would, so tests can create drift, take streams offline or inspect what a
run left behind. Another `Emulator` on the same `data_dir` sees the changes.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from livesnap_reconcile.emulator import ice_files, tencent, tencent_snapshot_rules
from livesnap_reconcile.emulator.tencent_templates import public_template
from livesnap_reconcile.emulator.wire import ice_time

if TYPE_CHECKING:
    from livesnap_reconcile.emulator.clock import Clock
    from livesnap_reconcile.emulator.store import Store

JOB_STATUSES = ("init", "started", "paused")
ICE_TEMPLATE_FIELDS = {"TemplateName", "TimeInterval", "OverwriteFormat", "SequenceFormat"}
TC_TEMPLATE_FIELDS = {"TemplateName", "Description", "SnapshotInterval", "Width", "Height", "PornFlag",
                      "CosAppId", "CosBucket", "CosRegion", "CosPrefix", "CosFileName"}


def _public(record: dict[str, Any]) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in record.items() if not k.startswith("_")}


class HooksMixin:
    store: Store
    clock: Clock

    # -- streams ------------------------------------------------------------------------------------

    def set_stream_offline(self, rtmp_url: str, offline: bool = True) -> None:
        """Mark an RTMP stream offline or live again.

        While a stream is offline, a job submitted for it stays ``init``, a start or restart of one
        answers StreamNotFound, and its running jobs fall back to ``init`` (undocumented: the sandbox
        takes the case livesnap must cope with, see docs/vendor-behaviour.md). A stream coming back
        starts nothing by itself: a start command does.
        """
        with self.store.transaction() as txn:
            urls = set(txn.data["offline"])
            urls.add(rtmp_url) if offline else urls.discard(rtmp_url)
            txn.data["offline"] = sorted(urls)
            if offline:
                now = self.clock.now()
                for job in txn.data["ice"]["jobs"].values():
                    if job["StreamInput"]["Url"] == rtmp_url and job["Status"] == "started":
                        job["Status"], job["LastModified"] = "init", ice_time(now)
                        ice_files.track(job, now)
            txn.wrote = True

    # -- Alibaba ------------------------------------------------------------------------------------

    def alibaba_jobs(self) -> list[dict[str, Any]]:
        with self.store.transaction() as txn:
            jobs = sorted(txn.data["ice"]["jobs"].values(), key=lambda j: j["_seq"])
            return [_public(j) for j in jobs]

    def alibaba_set_job_status(self, job_id: str, status: str) -> None:
        if status not in JOB_STATUSES:
            raise ValueError(f"status must be one of {JOB_STATUSES}, not {status!r}")
        with self.store.transaction() as txn:
            job = _get(txn.data["ice"]["jobs"], job_id, "ICE job")
            job["Status"], job["LastModified"] = status, ice_time(self.clock.now())
            ice_files.track(job, self.clock.now())
            txn.wrote = True

    def alibaba_templates(self) -> list[dict[str, Any]]:
        with self.store.transaction() as txn:
            templates = sorted(txn.data["ice"]["templates"].values(), key=lambda t: t["_seq"])
            return [_public(t) for t in templates]

    def alibaba_update_template(self, template_id: str, **fields: Any) -> None:
        _check_fields(fields, ICE_TEMPLATE_FIELDS)
        with self.store.transaction() as txn:
            template = _get(txn.data["ice"]["templates"], template_id, "ICE template")
            template.update(fields, LastModified=ice_time(self.clock.now()))
            txn.wrote = True

    # -- Tencent ------------------------------------------------------------------------------------

    def tencent_tasks(self) -> list[dict[str, Any]]:
        """Every task not deleted (stopped ones included), with a derived ``State`` for convenience
        (``pending``, ``running``, ``queued``: due but beyond the 3 running on its stream, ``finished``,
        ``stopped``)."""
        now = self.clock.now()
        with self.store.transaction() as txn:
            tasks = sorted(txn.data["tencent"]["tasks"].values(), key=lambda t: t["_seq"])
            states = tencent.states(tasks, now)
            return [dict(tencent.public_task(t), State=states[t["TaskId"]]) for t in tasks]

    def tencent_delete_task(self, task_id: str) -> None:
        with self.store.transaction() as txn:
            _get(txn.data["tencent"]["tasks"], task_id, "Tencent task")
            del txn.data["tencent"]["tasks"][task_id]
            txn.wrote = True

    def tencent_stop_task(self, task_id: str) -> None:
        with self.store.transaction() as txn:
            task = _get(txn.data["tencent"]["tasks"], task_id, "Tencent task")
            task["Stopped"] = task["Stopped"] or int(self.clock.now())
            txn.wrote = True

    def tencent_templates(self) -> list[dict[str, Any]]:
        with self.store.transaction() as txn:
            templates = sorted(txn.data["tencent"]["templates"].values(), key=lambda t: t["TemplateId"])
            return [public_template(t) for t in templates]

    def tencent_rules(self) -> list[dict[str, Any]]:
        with self.store.transaction() as txn:
            return [dict(r) for _, r in sorted(tencent_snapshot_rules.rules_of(txn).items())]

    def tencent_delete_rule(self, domain: str, app: str, stream: str = "") -> None:
        with self.store.transaction() as txn:
            key = f"{domain}/{app}/{stream}"
            _get(tencent_snapshot_rules.rules_of(txn), key, "Tencent snapshot rule")
            del tencent_snapshot_rules.rules_of(txn)[key]
            txn.wrote = True

    def tencent_add_rule(self, domain: str, app: str, stream: str, template_id: int | str) -> None:
        """A rule made outside livesnap (the console), for drift and foreign-rule tests."""
        now = self.clock.now()
        with self.store.transaction() as txn:
            tencent_snapshot_rules.create({"DomainName": domain, "AppName": app, "StreamName": stream,
                                           "TemplateId": int(template_id)}, txn, now=now, seed=0)

    def tencent_update_template(self, template_id: int | str, **fields: Any) -> None:
        _check_fields(fields, TC_TEMPLATE_FIELDS)
        with self.store.transaction() as txn:
            template = _get(txn.data["tencent"]["templates"], str(template_id), "Tencent template")
            template.update(fields)
            txn.wrote = True


def _get(table: dict[str, Any], key: str, what: str) -> dict[str, Any]:
    if key not in table:
        raise KeyError(f"no {what} with id {key!r} in the sandbox")
    record: dict[str, Any] = table[key]
    return record


def _check_fields(fields: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"unknown template fields {sorted(unknown)}; allowed: {sorted(allowed)}")
