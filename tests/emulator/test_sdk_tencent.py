"""The official Tencent Cloud SDK (tencentcloud-sdk-python-live) against the sandbox over loopback.

What we test here: template CRUD and the task lifecycle succeed over POST and GET; wrong keys,
unknown ids, skewed clocks and bad parameters raise `TencentCloudSDKException` with the vendor's
codes; throttling surfaces as `RequestLimitExceeded`; a 4th overlapping task is accepted; the three
snapshot-rule actions, including RuleAlreadyExist, one template per domain, and ConfInUsed for a template a rule
binds (a task does not hold its template).
"""

from __future__ import annotations

import json
import time

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.live.v20180801 import models

from livesnap_reconcile.emulator import FaultRule, Faults
from tests.emulator.sdk import served, tencent_client


def _req(cls, **fields):
    request = cls()
    request.from_json_string(json.dumps(fields))
    return request


def _template(client, name="thumbs"):
    return client.CreateLiveSnapshotTemplate(_req(models.CreateLiveSnapshotTemplateRequest, TemplateName=name,
                                                  CosAppId=1250000000, CosBucket="thumbs", CosRegion="ap-guangzhou",
                                                  SnapshotInterval=5, Width=640)).TemplateId


def _task(client, template_id, start, *, stream="livetest", hours=1):
    return client.CreateScreenshotTask(_req(models.CreateScreenshotTaskRequest, AppName="live",
                                            DomainName="5000.live.push.com", StreamName=stream, StartTime=start,
                                            EndTime=start + hours * 3600, TemplateId=template_id)).TaskId


def _code(call) -> str:
    with pytest.raises(TencentCloudSDKException) as err:
        call()
    return str(err.value.get_code())


@pytest.fixture(scope="module")
def sandbox():
    with served(faults=Faults(default_limits=False)) as (emu, endpoint):
        yield emu, endpoint


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_template_crud_and_task_lifecycle(sandbox, method):
    emu, endpoint = sandbox
    client = tencent_client(endpoint, method=method)
    template_id = _template(client, f"thumbs-{method}")
    assert isinstance(template_id, int)
    client.ModifyLiveSnapshotTemplate(_req(models.ModifyLiveSnapshotTemplateRequest, TemplateId=template_id,
                                           CosAppId=1250000000, CosBucket="thumbs", CosRegion="ap-guangzhou",
                                           SnapshotInterval=30))
    one = client.DescribeLiveSnapshotTemplate(_req(models.DescribeLiveSnapshotTemplateRequest, TemplateId=template_id))
    assert (one.Template.SnapshotInterval, one.Template.Width) == (30, 640)
    listed = client.DescribeLiveSnapshotTemplates(models.DescribeLiveSnapshotTemplatesRequest()).Templates
    assert template_id in [t.TemplateId for t in listed]

    now = int(emu.clock.now())
    task_id = _task(client, template_id, now, stream=f"s-{method}")
    assert 50 <= len(task_id) <= 64
    found = client.DescribeScreenshotTask(_req(models.DescribeScreenshotTaskRequest, StartTime=now - 60,
                                               EndTime=now + 86400, StreamName=f"s-{method}"))
    assert [t.TaskId for t in found.TaskList] == [task_id] and found.ScrollToken == ""
    client.StopScreenshotTask(_req(models.StopScreenshotTaskRequest, TaskId=task_id))
    stopped = [t for t in emu.tencent_tasks() if t["TaskId"] == task_id][0]
    assert stopped["Stopped"] > 0 and stopped["State"] == "stopped"
    client.DeleteScreenshotTask(_req(models.DeleteScreenshotTaskRequest, TaskId=task_id))
    assert task_id not in [t["TaskId"] for t in emu.tencent_tasks()]
    client.DeleteLiveSnapshotTemplate(_req(models.DeleteLiveSnapshotTemplateRequest, TemplateId=template_id))
    assert _code(lambda: client.DescribeLiveSnapshotTemplate(
        _req(models.DescribeLiveSnapshotTemplateRequest, TemplateId=template_id))) == "FailedOperation.NotFound"


def test_wrong_key_and_unknown_id_raise_auth_failures(sandbox):
    _, endpoint = sandbox
    bad_key = tencent_client(endpoint, key=("AKIDsandboxLivesnap00000000000000000", "not-the-key"))
    unknown = tencent_client(endpoint, key=("AKIDnobody", "whatever"))
    call = models.DescribeLiveSnapshotTemplatesRequest()
    assert _code(lambda: bad_key.DescribeLiveSnapshotTemplates(call)) == "AuthFailure.SignatureFailure"
    assert _code(lambda: unknown.DescribeLiveSnapshotTemplates(call)) == "AuthFailure.SecretIdNotFound"


def test_skewed_client_clock_is_signature_expire():
    with served(auth_clock=lambda: time.time() + 301) as (_, endpoint):
        client = tencent_client(endpoint)
        assert _code(lambda: client.DescribeLiveSnapshotTemplates(
            models.DescribeLiveSnapshotTemplatesRequest())) == "AuthFailure.SignatureExpire"


def test_bad_parameters_and_running_limit(sandbox):
    emu, endpoint = sandbox
    client = tencent_client(endpoint)
    now = int(emu.clock.now())
    assert _code(lambda: _task(client, 1, now, hours=25)) == "InvalidParameter"
    assert _code(lambda: client.CreateScreenshotTask(_req(models.CreateScreenshotTaskRequest, AppName="live",
                                                          DomainName="d", EndTime=now + 60, TemplateId=1))) \
        == "MissingParameter"
    for _ in range(3):
        _task(client, 1, now + 600, stream="busy")
    fourth = _task(client, 1, now + 1200, stream="busy")  # accepted, not refused: it waits for a free slot
    assert fourth in {t["TaskId"] for t in emu.tencent_tasks()}


def test_throttling_surfaces_as_request_limit_exceeded():
    faults = Faults(rules={"tencent:DescribeLiveSnapshotTemplates": FaultRule(rps=2)})
    with served(faults=faults) as (_, endpoint):
        client = tencent_client(endpoint)
        codes = []
        for _ in range(6):
            try:
                client.DescribeLiveSnapshotTemplates(models.DescribeLiveSnapshotTemplatesRequest())
                codes.append("ok")
            except TencentCloudSDKException as exc:
                codes.append(exc.get_code())
        assert codes[:2] == ["ok", "ok"] and "RequestLimitExceeded" in codes[2:]


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_snapshot_rules_bind_templates(sandbox, method):
    emu, endpoint = sandbox
    client = tencent_client(endpoint, method=method)
    template_id, other = _template(client, f"ruled-{method}"), _template(client, f"other-{method}")
    domain = f"{method.lower()}.rules.push.com"
    client.CreateLiveSnapshotRule(_req(models.CreateLiveSnapshotRuleRequest, DomainName=domain, AppName="live",
                                       StreamName="hall", TemplateId=template_id))
    client.CreateLiveSnapshotRule(_req(models.CreateLiveSnapshotRuleRequest, DomainName=domain,
                                       TemplateId=template_id))  # AppName defaults to "live"; no stream
    rules = [r for r in client.DescribeLiveSnapshotRules(models.DescribeLiveSnapshotRulesRequest()).Rules
             if r.DomainName == domain]
    assert sorted((r.AppName, r.StreamName, r.TemplateId) for r in rules) == [
        ("live", "", template_id), ("live", "hall", template_id)]
    assert time.strptime(rules[0].CreateTime, "%Y-%m-%d %H:%M:%S")  # Beijing-time strings, not Unix
    again = _req(models.CreateLiveSnapshotRuleRequest, DomainName=domain, AppName="live", StreamName="hall",
                 TemplateId=template_id)
    assert _code(lambda: client.CreateLiveSnapshotRule(again)) == "FailedOperation.RuleAlreadyExist"
    second = _req(models.CreateLiveSnapshotRuleRequest, DomainName=domain, AppName="vod", TemplateId=other)
    assert _code(lambda: client.CreateLiveSnapshotRule(second)) == "FailedOperation.RuleAlreadyExist"
    unknown = _req(models.CreateLiveSnapshotRuleRequest, DomainName=domain, AppName="x", TemplateId=999999)
    assert _code(lambda: client.CreateLiveSnapshotRule(unknown)) == "InvalidParameter.ConfNotFound"
    assert _code(lambda: client.DeleteLiveSnapshotTemplate(
        _req(models.DeleteLiveSnapshotTemplateRequest, TemplateId=template_id))) == "FailedOperation.ConfInUsed"
    for stream in ("hall", ""):
        client.DeleteLiveSnapshotRule(_req(models.DeleteLiveSnapshotRuleRequest, DomainName=domain, AppName="live",
                                           StreamName=stream))
    gone = _req(models.DeleteLiveSnapshotRuleRequest, DomainName=domain, AppName="live", StreamName="hall")
    assert _code(lambda: client.DeleteLiveSnapshotRule(gone)) == "FailedOperation.NotFound"
    bad = _req(models.DeleteLiveSnapshotRuleRequest, DomainName="not a domain")
    assert _code(lambda: client.DeleteLiveSnapshotRule(bad)) == "InvalidParameter.DomainFormatError"
    client.DeleteLiveSnapshotTemplate(_req(models.DeleteLiveSnapshotTemplateRequest, TemplateId=template_id))
    assert emu.tencent_rules() == [r for r in emu.tencent_rules() if r["DomainName"] != domain]
