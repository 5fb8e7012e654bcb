"""The official Alibaba Cloud ICE SDK (alibabacloud-ice20201109) against the sandbox over loopback.

What we test here: template CRUD, submit/get/list/command of jobs succeed; wrong secrets, unknown
keys, skewed clocks and bad parameters raise the SDK's `ClientException` with ICE/POP codes;
throttling raises `ThrottlingException` carrying `x-acs-retry-after`.
"""

from __future__ import annotations

import time

import pytest
from alibabacloud_ice20201109 import models as ice
from alibabacloud_tea_openapi.exceptions import ClientException, ThrottlingException

from livesnap_reconcile.emulator import FaultRule, Faults
from tests.emulator.sdk import ice_client, served

URL = "rtmp://push.example.com/live/main-stage"


def _submit(client, template_id, *, name="ls/news/main/always/0badf00d", url=URL):
    return client.submit_live_snapshot_job(ice.SubmitLiveSnapshotJobRequest(
        job_name=name, template_id=template_id, callback_url="https://hooks.example.com/snap",
        stream_input=ice.SubmitLiveSnapshotJobRequestStreamInput(type="rtmp", url=url),
        snapshot_output=ice.SubmitLiveSnapshotJobRequestSnapshotOutput(
            storage_type="oss", endpoint="oss-cn-shanghai.aliyuncs.com", bucket="media-snapshots"))).body.job_id


def _error(call, exc_type=ClientException):
    with pytest.raises(exc_type) as err:
        call()
    return err.value


@pytest.fixture(scope="module")
def sandbox():
    with served(faults=Faults(default_limits=False)) as (emu, endpoint):
        yield emu, endpoint


def test_template_crud_with_system_template_present(sandbox):
    _, endpoint = sandbox
    client = ice_client(endpoint)
    system = client.list_live_snapshot_templates(ice.ListLiveSnapshotTemplatesRequest(type="system")).body
    assert system.total_count == 1 and system.template_list[0].type == "system"
    template_id = client.create_live_snapshot_template(ice.CreateLiveSnapshotTemplateRequest(
        template_name="newsroom-every-10s", time_interval=10, sequence_format="snapshot/{JobId}/{UnixTimestamp}.jpg",
    )).body.template_id
    assert len(template_id) == 32 and int(template_id, 16) >= 0
    client.update_live_snapshot_template(ice.UpdateLiveSnapshotTemplateRequest(
        template_id=template_id, template_name="newsroom-every-10s", time_interval=30))
    got = client.get_live_snapshot_template(ice.GetLiveSnapshotTemplateRequest(template_id=template_id)).body
    assert (got.time_interval, got.type, got.sequence_format) == (30, "custom", "snapshot/{JobId}/{UnixTimestamp}.jpg")
    client.delete_live_snapshot_template(ice.DeleteLiveSnapshotTemplateRequest(template_id=template_id))
    err = _error(lambda: client.get_live_snapshot_template(ice.GetLiveSnapshotTemplateRequest(template_id=template_id)))
    assert (err.code, err.status_code) == ("TemplateNotFound", 404)


def test_job_submit_get_list_and_commands(sandbox):
    emu, endpoint = sandbox
    client = ice_client(endpoint)
    template_id = emu.alibaba_templates()[0]["TemplateId"]
    job_id = _submit(client, template_id)
    job = client.get_live_snapshot_job(ice.GetLiveSnapshotJobRequest(job_id=job_id)).body
    assert (job.status, job.stream_input.url, job.time_interval) == ("started", URL, 10)
    listed = client.list_live_snapshot_jobs(ice.ListLiveSnapshotJobsRequest(search_key_word="ls/news/", page_size=50)).body
    assert job_id in [j.job_id for j in listed.job_list]
    err = _error(lambda: client.send_live_snapshot_job_command(
        ice.SendLiveSnapshotJobCommandRequest(job_id=job_id, command="start")))
    assert (err.code, err.status_code) == ("JobAlreadyStarted", 409)
    client.send_live_snapshot_job_command(ice.SendLiveSnapshotJobCommandRequest(job_id=job_id, command="stop"))
    assert client.get_live_snapshot_job(ice.GetLiveSnapshotJobRequest(job_id=job_id)).body.status == "paused"
    emu.set_stream_offline(URL)
    err = _error(lambda: client.send_live_snapshot_job_command(
        ice.SendLiveSnapshotJobCommandRequest(job_id=job_id, command="start")))
    assert err.code == "StreamNotFound"
    emu.set_stream_offline(URL, offline=False)
    client.send_live_snapshot_job_command(ice.SendLiveSnapshotJobCommandRequest(job_id=job_id, command="start"))
    assert [j["Status"] for j in emu.alibaba_jobs() if j["JobId"] == job_id] == ["started"]


def test_wrong_keys_and_bad_parameters(sandbox):
    emu, endpoint = sandbox
    wrong_secret = ice_client(endpoint, key=("LTAI5sandboxLivesnap0000", "nope"))
    unknown = ice_client(endpoint, key=("LTAInobody", "nope"))
    good = ice_client(endpoint)
    call = ice.ListLiveSnapshotTemplatesRequest()
    assert _error(lambda: wrong_secret.list_live_snapshot_templates(call)).code == "SignatureDoesNotMatch"
    assert _error(lambda: unknown.list_live_snapshot_templates(call)).code == "InvalidAccessKeyId.NotFound"
    missing = _error(lambda: good.create_live_snapshot_template(ice.CreateLiveSnapshotTemplateRequest(time_interval=10)))
    assert (missing.code, missing.status_code) == ("MissingParameter", 400)
    bad = _error(lambda: good.create_live_snapshot_template(ice.CreateLiveSnapshotTemplateRequest(
        template_name="x", time_interval=4, overwrite_format="snapshot/{JobId}.jpg")))
    assert bad.code == "InvalidParameter"
    assert _error(lambda: _submit(good, "f" * 32)).code == "TemplateNotFound"


def test_skewed_client_clock_is_timestamp_expired():
    with served(auth_clock=lambda: time.time() - 16 * 60) as (_, endpoint):
        err = _error(lambda: ice_client(endpoint).list_live_snapshot_templates(ice.ListLiveSnapshotTemplatesRequest()))
        assert (err.code, err.status_code) == ("InvalidTimeStamp.Expired", 400)


def test_throttling_raises_throttling_exception_with_retry_after():
    faults = Faults(rules={"alibaba:ListLiveSnapshotTemplates": FaultRule(rps=1)})
    with served(faults=faults) as (_, endpoint):
        client = ice_client(endpoint)
        client.list_live_snapshot_templates(ice.ListLiveSnapshotTemplatesRequest())
        err = _error(lambda: client.list_live_snapshot_templates(ice.ListLiveSnapshotTemplatesRequest()),
                     ThrottlingException)
        assert err.code == "Throttling.User" and 0 < err.retry_after <= 1000
