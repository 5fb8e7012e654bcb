"""The vendor-documented example exchanges the cassettes hold (vendors/*.md, official examples).

One list per vendor of (name, action, request params, HTTP status, response JSON). `build_cassettes`
turns them into vcrpy YAML cassettes under ``cassettes/`` (run ``python -m tests.providers.exchanges``
to rebuild them); the cassette and contract tests read the YAML, not this list, except for the
request params they replay.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import yaml

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes"
ICE_URL = "https://ice.cn-shanghai.aliyuncs.com"
TC_URL = "https://live.tencentcloudapi.com"
DOC_TIME = 1589889600  # vector A: 2020-05-20T12:00:00Z
ICE_JOB_ID = "****a046-263c-3560-978a-fb287782****"
ICE_REQUEST_ID = "******11-DB8D-4A9A-875B-275798******"
TC_TASK_ID = "UpTbk5RSVhRQFkAAfHwQCCjcRD0lRFcZ0xTSlNTQltlRVRLU1JAWW9EUb"
ICE_SUBMIT = {
    "JobName": "ls/newsroom/main-stage/always-on/0a1b2c3d", "TemplateId": "****96e8864746a0b6f3****",
    "CallbackUrl": "http://www.aliyun.com/snapshot/callback",
    "StreamInput": {"Type": "rtmp", "Url": "rtmp://www.aliyun.com/stream"},
    "SnapshotOutput": {"Bucket": "testbucket", "Endpoint": "oss-cn-shanghai.aliyuncs.com", "StorageType": "oss"},
}
ICE_JOB = {
    "RequestId": ICE_REQUEST_ID, "JobId": ICE_JOB_ID, "JobName": ICE_SUBMIT["JobName"],
    "TemplateId": "****96e8864746a0b6f3****", "TemplateName": "newsroom-every-10s", "Status": "started",
    "StreamInput": ICE_SUBMIT["StreamInput"], "SnapshotOutput": ICE_SUBMIT["SnapshotOutput"],
    "OverwriteFormat": "snapshot/{JobId}.jpg", "SequenceFormat": "snapshot/{JobId}/{UnixTimestamp}.jpg",
    "TimeInterval": 5, "CallbackUrl": ICE_SUBMIT["CallbackUrl"], "CreateTime": "2022-07-12T16:17:54Z",
    "LastModified": "2022-07-12T16:17:54Z",
}

ALIBABA = [
    ("submit-job", "SubmitLiveSnapshotJob", ICE_SUBMIT, 200, {"RequestId": ICE_REQUEST_ID, "JobId": ICE_JOB_ID}),
    ("get-job", "GetLiveSnapshotJob", {"JobId": ICE_JOB_ID}, 200, ICE_JOB),
    ("list-jobs", "ListLiveSnapshotJobs",
     {"PageNo": 1, "PageSize": 100, "SearchKeyWord": "ls/newsroom/", "SortBy": "desc",
      "StartTime": "2022-07-01T00:00:00Z", "EndTime": "2022-07-30T00:00:00Z"}, 200,
     {"RequestId": ICE_REQUEST_ID, "PageNo": 1, "PageSize": 100, "SortBy": "desc", "TotalCount": 1,
      "JobList": [{k: ICE_JOB[k] for k in ("JobId", "JobName", "Status", "TemplateId", "TemplateName",
                                          "TimeInterval", "CreateTime", "SnapshotOutput")}]}),
    ("stop-job", "SendLiveSnapshotJobCommand", {"JobId": ICE_JOB_ID, "Command": "stop"}, 200, {"RequestId": ICE_REQUEST_ID}),
    ("create-template", "CreateLiveSnapshotTemplate",
     {"TemplateName": "newsroom-every-10s", "TimeInterval": 5, "OverwriteFormat": "snapshot/{JobId}.jpg",
      "SequenceFormat": "snapshot/{JobId}/{UnixTimestamp}.jpg"}, 200,
     {"RequestId": ICE_REQUEST_ID, "TemplateId": "****96e8864746a0b6f3****"}),
    ("list-templates", "ListLiveSnapshotTemplates",
     {"PageNo": 1, "PageSize": 100, "SearchKeyWord": "newsroom-", "Type": "custom"}, 200,
     {"RequestId": ICE_REQUEST_ID, "PageNo": 1, "PageSize": 100, "SortBy": "desc", "TotalCount": 1,
      "TemplateList": [{"TemplateId": "****96e8864746a0b6f3****", "TemplateName": "newsroom-every-10s",
                        "Type": "custom", "TimeInterval": 5, "CreateTime": "2022-07-12T16:17:54Z"}]}),
    ("get-job-not-found", "GetLiveSnapshotJob", {"JobId": "****0000-0000-0000-0000-000000000000****"}, 404,
     {"RequestId": ICE_REQUEST_ID, "HostId": "ice.cn-shanghai.aliyuncs.com", "Code": "JobNotFound",
      "Message": "No such job.", "Recommend": "https://api.aliyun.com/troubleshoot?q=JobNotFound&product=ICE"}),
]

TC_CREATE = {"StreamName": "livetest", "DomainName": "5000.live.push.com", "AppName": "live",
             "StartTime": DOC_TIME, "EndTime": DOC_TIME + 14400, "TemplateId": 0}
TENCENT = [
    ("create-task", "CreateScreenshotTask", TC_CREATE, 200,
     {"Response": {"RequestId": "eac6b301-a322-493a-8e36-83b295459397", "TaskId": TC_TASK_ID}}),
    ("describe-tasks", "DescribeScreenshotTask", {"StartTime": 1595779200, "EndTime": 1595865600}, 200,
     {"Response": {"RequestId": "eac6b301-a322-493a-8e36-83b295459397", "ScrollToken": "", "TaskList": [
         {"TaskId": "UpTbk5RSVhRQFkAAfHwQCCjcRD0lRFcZ0xTSlNTQltlRVRLU1JAWW9EUa", "DomainName": "5000.live.push.com",
          "AppName": "live", "StreamName": "livetest", "StartTime": 1595779200, "EndTime": 1595782800,
          "TemplateId": 123, "Stopped": 1595783500},
         {"TaskId": "UpTbk5RSVhRQFkAAfHwQCCjcRD0lRFcZ0xTSlNTQltlRVRLU1JAWW9EUc", "DomainName": "5000.live.push.com",
          "AppName": "live", "StreamName": "livetest", "StartTime": 1595790000, "EndTime": 1595793600,
          "TemplateId": 0, "Stopped": 0}]}}),
    ("stop-task", "StopScreenshotTask", {"TaskId": TC_TASK_ID}, 200,
     {"Response": {"RequestId": "eac6b301-a322-493a-8e36-83b295459397"}}),
    ("delete-task", "DeleteScreenshotTask", {"TaskId": TC_TASK_ID}, 200,
     {"Response": {"RequestId": "eac6b301-a322-493a-8e36-83b295459397"}}),
    ("create-template", "CreateLiveSnapshotTemplate",
     {"TemplateName": "newsroom-thumbs", "CosAppId": 1234567890, "CosBucket": "testbucket",
      "CosRegion": "ap-guangzhou", "SnapshotInterval": 10, "Width": 640}, 200,
     {"Response": {"RequestId": "e7e1c8a1-0b5f-4a3e-9c4b-7b1f2a3c4d5e", "TemplateId": 888}}),
    ("describe-templates", "DescribeLiveSnapshotTemplates", {}, 200,
     {"Response": {"RequestId": "e7e1c8a1-0b5f-4a3e-9c4b-7b1f2a3c4d5e", "Templates": [
         {"TemplateId": 888, "TemplateName": "newsroom-thumbs", "SnapshotInterval": 10, "Width": 640, "Height": 0,
          "PornFlag": 0, "CosAppId": 1234567890, "CosBucket": "testbucket", "CosRegion": "ap-guangzhou",
          "Description": "", "CosPrefix": "/{Year}-{Month}-{Day}", "CosFileName": None,
          "CosSecretId": "", "CosSecretKey": "******"}]}}),
    ("stop-task-bad-signature", "StopScreenshotTask", {"TaskId": "nope"}, 200,
     {"Response": {"Error": {"Code": "AuthFailure.SignatureFailure",
                             "Message": "The provided credentials could not be validated."},
                   "RequestId": "ed93f3cb-f35e-473f-b9f3-0d451b8b79c6"}}),
]


def _interaction(request: httpx.Request, status: int, payload: dict, content_type: str) -> dict:
    keep = ("content-type", "x-acs-action", "x-acs-version", "x-tc-action", "x-tc-version")
    return {
        "request": {
            "body": request.content.decode() or None,
            "headers": {k: [v] for k, v in request.headers.items() if k.lower() in keep},
            "method": request.method,
            "uri": str(request.url),
        },
        "response": {
            "body": {"string": json.dumps(payload, ensure_ascii=False)},
            "headers": {"Content-Type": [content_type]},
            "status": {"code": status, "message": "OK" if status == 200 else "Error"},
        },
    }


def build_cassettes() -> None:
    from livesnap_reconcile.providers.alibaba.client import IceClient
    from livesnap_reconcile.providers.tencent.client import LiveClient

    ice = IceClient(caller=None, endpoint=ICE_URL, provider="doc")  # type: ignore[arg-type]
    live = LiveClient(caller=None, endpoint=TC_URL, provider="doc", region="ap-guangzhou")  # type: ignore[arg-type]
    for vendor, client, exchanges, content_type in (
        ("alibaba", ice, ALIBABA, "application/json;charset=utf-8"),
        ("tencent", live, TENCENT, "application/json"),
    ):
        for name, action, params, status, payload in exchanges:
            cassette = {"interactions": [_interaction(client.build(action, params), status, payload, content_type)],
                        "version": 1}
            path = CASSETTES / vendor / f"{name}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(cassette, sort_keys=True, allow_unicode=True))


if __name__ == "__main__":
    build_cassettes()
