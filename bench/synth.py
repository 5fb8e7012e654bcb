"""Synthetic fleets for the plan benchmarks: a manifest of about N desired resources, the matching
remote objects (in an emulator store and as `RemoteObject`s), the matching state, and 1% drift.

Owns the shape of the benchmark fleet. The mix: one Alibaba and one Tencent provider; a few
templates of each vendor; Alibaba streams of 5 always-on or scheduled jobs; Tencent streams of 3
daily snapshots (never more than 3 overlapping tasks, as the vendor allows), every occurrence
inside the 6-day horizon becoming a task. Remote records are written straight into the sandbox
store (the HTTP path would take minutes at 100k and is not what is measured); jobs and tasks are
built in the emulator's own record shape, templates through the emulator's own create actions.
Remote objects are normalised by the providers' own model functions, so they are exactly what a
refresh returns. It must not time anything: the benchmark modules do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import Any

NOW = 1795398600  # 2026-11-23T00:30:00Z, a Monday: fixed so every run plans the same fleet
NAMESPACE = "bench"
ICE, CSS = "ice-bench", "css-bench"
JOBS_PER_STREAM = 5
SNAPS_PER_TASK_STREAM = 3
TASKS_PER_TASK_STREAM = 18  # ~3 snapshots x ~6 daily occurrences in the 6-day horizon
TASK_SHARE = 0.7  # of the desired resources; the rest are jobs and templates


@dataclass
class Fleet:
    """Everything one benchmark size needs; `remote` and `state` already carry the drift."""

    data: dict[str, Any]
    now: int
    desired: Any = None  # DesiredState at `now`
    remote: list[Any] = field(default_factory=list)  # RemoteObject, as a refresh would return
    state: Any = None  # State
    drift: dict[str, int] = field(default_factory=dict)


def manifest(size: int, *, max_rps: float | None = None) -> dict[str, Any]:
    """A validated-shape manifest dict producing about ``size`` desired resources."""
    n_tpl = max(2, min(45, size // 2000))  # Tencent allows 50 templates per account
    tasks_wanted = int(size * TASK_SHARE)
    n_task_streams = max(1, round(tasks_wanted / TASKS_PER_TASK_STREAM))
    n_job_streams = max(1, round((size - 2 * n_tpl - n_task_streams * TASKS_PER_TASK_STREAM) / JOBS_PER_STREAM))
    ice: dict[str, Any] = {"vendor": "alibaba", "region": "cn-shanghai"}
    css: dict[str, Any] = {"vendor": "tencent", "region": "ap-guangzhou"}
    if max_rps:
        ice["max_rps"] = css["max_rps"] = max_rps
    templates: dict[str, Any] = {}
    for i in range(n_tpl):
        templates[f"ice-t{i}"] = {"provider": ICE, "interval": 10 + i,
                                  "sequence_format": f"snap/{i}/{{JobId}}/{{UnixTimestamp}}.jpg"}
        templates[f"css-t{i}"] = {"provider": CSS, "interval": 10 + i % 50, "width": 640,
                                  "cos": {"app_id": 1250000000, "bucket": f"thumbs{i}", "region": "ap-guangzhou",
                                          "prefix": "/live/{Year}-{Month}-{Day}"}}
    streams: dict[str, Any] = {}
    for s in range(n_job_streams):
        snaps: dict[str, Any] = {}
        for j in range(JOBS_PER_STREAM):
            snap: dict[str, Any] = {"template": f"ice-t{(s + j) % n_tpl}"}
            if j == 1:
                snap["callback_url"] = "https://hooks.example.com/snap"
            if j == 4:  # a scheduled job: started inside its daily window, paused outside
                snap["schedule"] = {"start": f"{s % 24:02d}:00", "duration": "2h", "timezone": "UTC"}
            snaps[f"j{j}"] = snap
        streams[f"cam{s:05d}"] = {"provider": ICE, "rtmp_url": f"rtmp://push.example.com/live/cam{s:05d}",
                                  "output": {"bucket": "media-snapshots", "endpoint": "oss-cn-shanghai.aliyuncs.com"},
                                  "snapshots": snaps}
    for s in range(n_task_streams):
        snaps = {}
        for k in range(SNAPS_PER_TASK_STREAM):
            hour = (s + 8 * k) % 24  # three daily slots, 8 h apart: at most one running at a time
            snaps[f"t{k}"] = {"template": f"css-t{(s + k) % n_tpl}",
                              "schedule": {"start": f"{hour:02d}:{(s * 7) % 60:02d}", "duration": "90m",
                                           "timezone": "UTC"}}
        streams[f"hall{s:05d}"] = {"provider": CSS, "domain": "5000.live.push.com", "app": "live",
                                   "stream": f"hall{s:05d}", "snapshots": snaps}
    return {"version": 1, "namespace": NAMESPACE, "providers": {ICE: ice, CSS: css},
            "templates": templates, "streams": streams}


def build(size: int, *, emulator: Any = None, drift_share: float = 0.01, max_rps: float | None = None,
          seed: int = 7) -> Fleet:
    """The fleet of ``size``: desired state, remote objects (seeded into ``emulator`` if given),
    the state that an earlier apply would have written, and ``drift_share`` of drift."""
    from livesnap_reconcile.emulator import Emulator
    from livesnap_reconcile.manifest.expand import expand

    data = manifest(size, max_rps=max_rps)
    desired = expand(data, now=NOW)
    emu = emulator or Emulator(data_dir=None)
    records = _seed_store(emu, desired)
    fleet = Fleet(data=data, now=NOW, desired=desired)
    drifted = _drift(emu, desired, records, share=drift_share, rng=random.Random(seed))
    fleet.drift = {k: len(v) for k, v in drifted.items()}
    fleet.remote, fleet.state = _remote_and_state(emu, desired, records)
    return fleet


# --- seeding -----------------------------------------------------------------------------------


def _seed_store(emu: Any, desired: Any) -> dict[str, tuple[str, str]]:
    """Write one remote record per desired resource; returns address -> (remote id, template ref)."""
    from livesnap_reconcile.emulator import ice, tencent_templates
    from livesnap_reconcile.emulator.wire import ice_id, ice_time, tencent_task_id
    from livesnap_reconcile.providers.alibaba import model as ali
    from livesnap_reconcile.providers.tencent import model as tc

    out: dict[str, tuple[str, str]] = {}
    with emu.store.transaction() as txn:
        for r in desired.resources:
            if r.kind != "template":
                continue
            if r.provider == ICE:
                params = {k: str(v) for k, v in ali.template_params(r.attributes).items() if v is not None}
                tid = ice.create_template(params, txn, now=NOW, seed=emu.seed)["TemplateId"]
            else:
                tid = tencent_templates.create(tc.template_params(r.attributes), txn, now=NOW, seed=emu.seed)["TemplateId"]
            out[r.address] = (str(tid), "")
        ids = {a: rid for a, (rid, _) in out.items()}
        jobs, tasks = txn.data["ice"]["jobs"], txn.data["tencent"]["tasks"]
        for r in desired.resources:
            if r.kind == "template":
                continue
            a = r.attributes
            tid = ids[a["template"]["ref"]] if "ref" in a["template"] else a["template"]["id"]
            if r.kind == "job":
                job_id = ice_id(txn.data, seed=emu.seed, kind="job")
                created = NOW - 86400 * (1 + len(jobs) % 20)
                tpl = txn.data["ice"]["templates"][tid]
                jobs[job_id] = {
                    "JobId": job_id, "JobName": a["name"], "TemplateId": tid, "TemplateName": tpl["TemplateName"],
                    "Status": a["status"], "StreamInput": {"Type": "rtmp", "Url": a["rtmp_url"]},
                    "SnapshotOutput": {"StorageType": "oss", **{k.capitalize(): v for k, v in a["output"].items()}},
                    "OverwriteFormat": tpl.get("OverwriteFormat"), "SequenceFormat": tpl.get("SequenceFormat"),
                    "TimeInterval": tpl["TimeInterval"], "CallbackUrl": a["callback_url"],
                    "CreateTime": ice_time(created), "LastModified": ice_time(created), "_created": float(created),
                    "_seq": txn.data["seq"]}
                out[r.address] = (job_id, tid)
            elif r.kind == "task":
                task_id = tencent_task_id(txn.data, seed=emu.seed)
                tasks[task_id] = {"TaskId": task_id, "DomainName": a["domain"], "AppName": a["app"],
                                  "StreamName": a["stream"], "StartTime": a["start"], "EndTime": a["end"],
                                  "TemplateId": int(tid), "Stopped": 0, "StreamType": 0, "Extension": "",
                                  "_seq": txn.data["seq"]}
                out[r.address] = (task_id, tid)
        txn.wrote = True
    return out


def _drift(emu: Any, desired: Any, records: dict[str, tuple[str, str]], *, share: float,
           rng: random.Random) -> dict[str, list[str]]:
    """Change ``share`` of the fleet behind livesnap's back: delete tasks, pause jobs, edit templates."""
    by_kind: dict[str, list[str]] = {"template": [], "job": [], "task": []}
    for r in desired.resources:
        if r.kind != "job" or r.attributes["status"] == "started":
            by_kind[r.kind].append(r.address)
    total = max(3, int(len(desired.resources) * share))
    n_tpl = max(1, min(len(by_kind["template"]) // 4, total // 10))
    n_job = max(1, (total - n_tpl) // 3)
    picked = {"template": rng.sample(by_kind["template"], n_tpl),
              "job": rng.sample(by_kind["job"], min(n_job, len(by_kind["job"]))),
              "task": rng.sample(by_kind["task"], min(total - n_tpl - n_job, len(by_kind["task"])))}
    with emu.store.transaction() as txn:
        for address in picked["task"]:
            del txn.data["tencent"]["tasks"][records[address][0]]
        for address in picked["job"]:
            txn.data["ice"]["jobs"][records[address][0]]["Status"] = "paused"
        for address in picked["template"]:
            rid = records[address][0]
            if rid in txn.data["ice"]["templates"]:
                txn.data["ice"]["templates"][rid]["TimeInterval"] += 1
            else:
                txn.data["tencent"]["templates"][rid]["SnapshotInterval"] += 1
        txn.wrote = True
    return {"deleted_tasks": picked["task"], "paused_jobs": picked["job"], "edited_templates": picked["template"]}


def _remote_and_state(emu: Any, desired: Any, records: dict[str, tuple[str, str]]) -> tuple[list[Any], Any]:
    """RemoteObjects as the providers normalise the store's records, and the state before the drift."""
    from livesnap_reconcile.emulator.ice import _public
    from livesnap_reconcile.emulator.tencent import public_task
    from livesnap_reconcile.emulator.tencent_templates import public_template
    from livesnap_reconcile.providers import SANDBOX_ENDPOINT
    from livesnap_reconcile.providers.alibaba import model as ali
    from livesnap_reconcile.providers.tencent import model as tc
    from livesnap_reconcile.state import State, StateEntry

    with emu.store.transaction() as txn:
        ice, css = txn.data["ice"], txn.data["tencent"]
        remote = [ali.template_object(_public(t), provider=ICE) for t in ice["templates"].values()
                  if t["Type"] == "custom"]
        remote += [ali.job_object(_public(j), provider=ICE) for j in ice["jobs"].values()]
        remote += [tc.template_object(public_template(t), provider=CSS) for t in css["templates"].values()]
        remote += [tc.task_object(public_task(t), provider=CSS, now=NOW) for t in css["tasks"].values()]
    # State records what apply saw, i.e. the desired attributes with template ids resolved.
    resources: dict[str, Any] = {}
    tpl_ids = {a: rid for a, (rid, tid) in records.items() if not tid}
    for r in desired.resources:
        attrs = dict(r.attributes)
        if r.kind != "template" and "ref" in attrs["template"]:
            attrs["template"] = {"id": tpl_ids[attrs["template"]["ref"]]}
        status = {"job": attrs.get("status", ""), "task": "pending"}.get(r.kind, "")
        resources[r.address] = StateEntry(address=r.address, kind=r.kind, provider=r.provider,
                                          remote_id=records[r.address][0], attributes=attrs, created_at=NOW - 86400,
                                          status=status)
    state = State.new(lineage="00000000-0000-4000-8000-00000000bench")
    state = replace(state, resources=resources)
    for name, vendor in ((ICE, "alibaba"), (CSS, "tencent")):
        state = state.with_provider(name, vendor, SANDBOX_ENDPOINT)
    return remote, state
