"""ICE starts a submitted job asynchronously: ``init`` right after our own submit is "starting".

What we test here: the job is recorded as started (what was asked, under way), so the next refresh
seeing it run reports no drift; a job still ``init`` later is "not started yet", never "paused
outside livesnap".
"""

from __future__ import annotations

import httpx

from livesnap_reconcile.resources import RemoteObject
from livesnap_reconcile.vendors import spec
from tests.providers.fakes import NOW, alibaba, ice_action

JOB = {"name": "ls/ns/main.a", "rtmp_url": "rtmp://push.example.com/live/main",
       "output": {"bucket": "b", "endpoint": "oss-cn-shanghai.aliyuncs.com"}, "template": {"id": "t1"},
       "callback_url": None, "status": "started"}


def _job(status: str) -> dict:
    return {"RequestId": "r", "JobId": "j1", "JobName": JOB["name"], "Status": status, "TemplateId": "t1",
            "StreamInput": {"Url": JOB["rtmp_url"]}, "SnapshotOutput": {"Bucket": "b", "Endpoint": JOB["output"]["endpoint"]}}


def test_init_right_after_our_submit_is_recorded_as_started():
    def handler(request: httpx.Request) -> httpx.Response:
        action, _ = ice_action(request)
        return httpx.Response(200, json={"RequestId": "r", "JobId": "j1"} if action == "SubmitLiveSnapshotJob"
                              else _job("init"))

    obj = alibaba(handler).create("job", JOB)
    assert obj.attributes["status"] == "started" and obj.status == "init"


def _remote(status: str) -> RemoteObject:
    return RemoteObject(kind="job", provider="ice", remote_id="j1", status=status,
                        attributes={**JOB, "status": "started" if status == "started" else "paused"})


def test_a_job_we_submitted_that_now_runs_or_has_not_started_yet_is_no_drift():
    job = spec("job")
    assert job.status_drift(JOB, _remote("started"), NOW) is None
    assert job.status_drift(JOB, _remote("init"), NOW) is None
    reason = job.status_reason(JOB, _remote("init"), JOB)
    assert "not started yet" in reason.text and "outside" not in reason.text


def test_a_job_paused_outside_livesnap_is_still_drift():
    job = spec("job")
    assert job.status_drift(JOB, _remote("paused"), NOW) is not None
    assert "outside livesnap" in job.status_reason(JOB, _remote("paused"), JOB).text
