"""Every provider operation against the sandbox emulator, in-process and over loopback HTTP.

What we test here: templates and jobs/tasks through create, get, find, update, start/stop, refresh
and delete on both vendors, with the emulator verifying our signatures independently; each error
class surfacing from real emulator answers; unknown outcomes followed by find (no duplicates).
"""

from __future__ import annotations

import pytest

from livesnap_reconcile.emulator import FaultRule, Faults
from livesnap_reconcile.errors import AuthError, Invalid, NotFound, Throttled, Unavailable, UnknownOutcome
from livesnap_reconcile.resources import Known, RefreshQuery, Resource
from tests.providers.conftest import T0, Sandbox

TC_TEMPLATE = {"name": "ns-thumbs", "interval": 10, "width": 640, "height": 0, "porn_flag": 0,
               "cos_app_id": 1250000000, "cos_bucket": "thumbs", "cos_region": "ap-guangzhou",
               "cos_prefix": "/live/{Year}", "cos_file_name": None, "description": "d"}
ICE_TEMPLATE = {"name": "ns-every-10s", "interval": 10, "overwrite_format": None,
                "sequence_format": "snapshot/{JobId}/{UnixTimestamp}.jpg"}


def task_attrs(template_id: str, *, start: int, stream: str = "s1", hours: int = 1) -> dict:
    return {"domain": "5000.live.push.com", "app": "live", "stream": stream, "start": start,
            "end": start + hours * 3600, "template": {"id": template_id}}


def job_attrs(template_id: str, *, name: str = "ls/ns/main/always/0a1b2c3d", status: str = "started") -> dict:
    return {"name": name, "rtmp_url": "rtmp://push.example.com/live/main", "template": {"id": template_id},
            "output": {"bucket": "media", "endpoint": "oss-cn-shanghai.aliyuncs.com"},
            "callback_url": "https://hooks.example.com/snap", "status": status}


def test_tencent_templates_full_cycle(sandbox):
    css = sandbox.provider("tencent")
    created = css.create("template", TC_TEMPLATE)
    assert created.remote_id.isdigit() and created.attributes == TC_TEMPLATE
    assert css.get("template", created.remote_id).attributes == TC_TEMPLATE
    changed = {**TC_TEMPLATE, "interval": 30, "width": 320}
    assert css.update("template", created.remote_id, changed).attributes == changed
    assert css.get("template", created.remote_id).attributes == changed
    assert css.find("template", changed, now=T0).remote_id == created.remote_id
    foreign = css.create("template", {**TC_TEMPLATE, "name": "other-thumbs"})
    query = RefreshQuery(namespace="ns", known=(Known("template.thumbs", "template", created.remote_id, changed),))
    assert [o.remote_id for o in css.refresh(query)] == [created.remote_id]
    css.delete("template", created.remote_id, changed)
    css.delete("template", created.remote_id, changed)  # already gone: fine
    assert css.get("template", created.remote_id) is None
    assert css.get("template", foreign.remote_id) is not None


def test_tencent_tasks_full_cycle(sandbox):
    css = sandbox.provider("tencent")
    template_id = css.create("template", TC_TEMPLATE).remote_id
    late = css.create("task", task_attrs(template_id, start=T0 - 600))  # in progress: starts now
    assert late.attributes["start"] == T0 and late.status == "running"
    future = css.create("task", task_attrs(template_id, start=T0 + 86400))
    assert future.status == "pending" and future.attributes["template"] == {"id": template_id}
    assert css.get("task", future.remote_id).attributes == future.attributes
    wanted = {**task_attrs(template_id, start=T0 - 600), "scheduled_start": T0 - 600}
    assert css.find("task", wanted, now=T0).remote_id == late.remote_id
    css.delete("task", late.remote_id, late.attributes)  # running: stop, then delete
    css.delete("task", late.remote_id, late.attributes)  # gone: not an error
    assert css.find("task", wanted, now=T0) is None
    assert css.get("task", late.remote_id) is None
    listed = css.refresh(RefreshQuery(namespace="ns", now=T0, known=(
        Known("task.a[x]", "task", late.remote_id, late.attributes),
        Known("task.a[y]", "task", future.remote_id, future.attributes))))
    assert [o.remote_id for o in listed] == [future.remote_id]


def test_tencent_stopped_task_is_never_found(local_sandbox):
    css = local_sandbox.provider("tencent")
    made = css.create("task", task_attrs("7", start=T0 + 60))
    local_sandbox.emu.tencent_stop_task(made.remote_id)
    assert css.find("task", {**made.attributes, "scheduled_start": T0 + 60}, now=T0) is None
    [seen] = css.refresh(RefreshQuery(namespace="ns", now=T0, known=(Known("t", "task", made.remote_id, made.attributes),)))
    assert seen.status == "stopped" and seen.extra["stopped"] > 0


def test_alibaba_templates_full_cycle(sandbox):
    ice = sandbox.provider("alibaba")
    created = ice.create("template", ICE_TEMPLATE)
    assert ice.get("template", created.remote_id).attributes == ICE_TEMPLATE
    changed = {**ICE_TEMPLATE, "interval": 30, "overwrite_format": "snapshot/{JobId}.jpg"}
    ice.update("template", created.remote_id, changed)
    assert ice.get("template", created.remote_id).attributes == changed
    assert ice.find("template", changed, now=T0).remote_id == created.remote_id
    ice.create("template", {**ICE_TEMPLATE, "name": "other-x"})
    listed = ice.refresh(RefreshQuery(namespace="ns", desired=(Resource("template.every-10s", "template", "ice", changed),)))
    assert [o.attributes for o in listed] == [changed]
    ice.delete("template", created.remote_id, changed)
    ice.delete("template", created.remote_id, changed)
    assert ice.get("template", created.remote_id) is None
    with pytest.raises(NotFound):
        ice.update("template", created.remote_id, changed)


def test_alibaba_jobs_full_cycle(sandbox):
    ice = sandbox.provider("alibaba")
    template_id = ice.create("template", ICE_TEMPLATE).remote_id
    running = ice.create("job", job_attrs(template_id))
    assert running.attributes == job_attrs(template_id) and running.status == "started"
    paused = ice.create("job", job_attrs(template_id, name="ls/ns/main/later/11112222", status="paused"))
    assert paused.attributes["status"] == "started"  # submitted running; the applier stops it
    assert ice.stop(paused.remote_id).attributes["status"] == "paused"
    assert ice.start(paused.remote_id).attributes["status"] == "started"
    assert ice.start(paused.remote_id).status == "started"  # already started: fine
    assert ice.stop(paused.remote_id).attributes["status"] == "paused"
    assert ice.stop(paused.remote_id).status == "paused"  # already paused: fine
    ice.delete("job", running.remote_id, running.attributes)  # ICE has no delete: stop
    assert ice.get("job", running.remote_id).attributes["status"] == "paused"
    assert ice.get("job", "0" * 32) is None
    assert ice.find("job", job_attrs(template_id), now=T0).remote_id == running.remote_id
    assert ice.find("job", job_attrs(template_id, name="ls/ns/main/always/ffffffff"), now=T0) is None
    query = RefreshQuery(namespace="ns", now=T0,
                         known=(Known("job.main.later", "job", paused.remote_id, paused.attributes),
                                Known("job.main.gone", "job", "f" * 32, paused.attributes)),
                         desired=(Resource("job.main.always", "job", "ice", job_attrs(template_id)),))
    assert sorted(o.remote_id for o in ice.refresh(query)) == sorted([running.remote_id, paused.remote_id])


@pytest.mark.parametrize("vendor", ["alibaba", "tencent"])
def test_wrong_secret_is_an_auth_error_without_the_secret(vendor):
    box = Sandbox()
    provider = box.provider(vendor, credentials=("wrong-id", "very-secret-wrong-key", None))
    with pytest.raises(AuthError) as info:
        provider.find("template", {"name": "ns-x"}, now=T0)
    assert "very-secret-wrong-key" not in str(info.value)


def test_invalid_parameters_are_invalid_with_vendor_code(sandbox):
    with pytest.raises(Invalid) as info:
        sandbox.provider("alibaba").create("template", {**ICE_TEMPLATE, "interval": 1})
    assert info.value.code == "InvalidParameter" and info.value.request_id
    with pytest.raises(Invalid) as info:
        sandbox.provider("tencent").create("task", task_attrs("7", start=T0 + 30 * 86400))
    assert info.value.code == "InvalidParameter"


@pytest.mark.parametrize("vendor", ["alibaba", "tencent"])
def test_throttling_surfaces_only_when_attempts_run_out(vendor):
    box = Sandbox(faults=Faults(rps=1))
    provider = box.provider(vendor, max_attempts=1)
    provider.find("template", {"name": "ns-x"}, now=T0)
    with pytest.raises(Throttled):
        provider.find("template", {"name": "ns-x"}, now=T0)


@pytest.mark.parametrize("vendor", ["alibaba", "tencent"])
def test_persistent_server_errors_are_unavailable(vendor):
    box = Sandbox(faults=Faults(rps=0, fail_rate=1.0))
    with pytest.raises(Unavailable):
        box.provider(vendor, max_attempts=3).find("template", {"name": "ns-x"}, now=T0)
    assert len(box.emu.request_log) == 3


@pytest.mark.parametrize("mode", ["disconnect", "error"])
@pytest.mark.parametrize("loopback", [False, True])
def test_lost_create_is_unknown_then_found_not_duplicated(mode, loopback):
    rules = {"tencent:CreateScreenshotTask": FaultRule(drop_rate=1.0), "alibaba:SubmitLiveSnapshotJob": FaultRule(drop_rate=1.0)}
    box = Sandbox(faults=Faults(rps=0, drop_mode=mode, rules=rules), loopback=loopback)
    try:
        css, ice = box.provider("tencent"), box.provider("alibaba")
        wanted = {**task_attrs("7", start=T0 - 30), "scheduled_start": T0 - 30}
        with pytest.raises(UnknownOutcome):
            css.create("task", wanted)
        assert css.find("task", wanted, now=T0) is not None
        assert len(box.emu.tencent_tasks()) == 1
        template_id = ice.create("template", ICE_TEMPLATE).remote_id
        with pytest.raises(UnknownOutcome):
            ice.create("job", job_attrs(template_id))
        assert ice.find("job", job_attrs(template_id), now=T0).attributes["name"] == job_attrs(template_id)["name"]
        assert len(box.emu.alibaba_jobs()) == 1
    finally:
        box.close()
