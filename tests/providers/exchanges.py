"""The example exchanges the cassettes hold: the vendors' own where they publish one, else ours.

``cassettes/documented/`` keeps the vendors' examples verbatim; an exchange of a documented action
is built from it, and `ORIGIN` says for every cassette which it is (stored in the cassette too).
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
DOC_TIME = 1589889600  # vector A: 2020-05-20T12:00:00Z, the documented CreateScreenshotTask's StartTime
DOCUMENTED = CASSETTES / "documented"
ICE_JOB_ID = "****a046-263c-3560-978a-fb287782****"  # the JobId GetLiveSnapshotJob's page asks for
ICE_SUBMITTED_ID = "****a046-263c-3560-978a-fb287666****"  # the JobId SubmitLiveSnapshotJob's page returns
ICE_TEMPLATE_ID = "****a046-263c-3560-978a-fb287666****"  # GetLiveSnapshotJob's TemplateId example
ICE_REQUEST_ID = "******11-DB8D-4A9A-875B-275798******"
TC_TASK_ID = "UpTbk5RSVhRQFkAAfHwQCCjcRD0lRFcZ0xTSlNTQltlRVRLU1JAWW9EUb"
TC_STOPPED_ID = "UZZUVbQ1FSQFlvKxYBxUVGzwcBB00UETZU5QRlNURlhR1FDUVBFUWpCUkbUUBKb"
TC_DELETED_ID = "UZZUVbQ1FSQFlvKxYSBxUVGzB00UEFTZU5RlNURlhR1FDUVBFUWpCkNbUUBKb"
TC_REQUEST_ID = "3c140219-cfe9-470e-b241-907877d6fb03"


def documented(vendor: str, action: str) -> dict:
    """The vendor's own example of ``action``: ``cassettes/documented/*.json``, copied verbatim."""
    name = {"alibaba": "alibaba-ice.json", "tencent": "tencent-live.json"}[vendor]
    return json.loads((DOCUMENTED / name).read_text(encoding="utf-8"))["actions"][action]


def _doc_output(vendor: str, action: str) -> dict:
    return json.loads(documented(vendor, action)["output"])


ICE_SUBMIT = documented("alibaba", "SubmitLiveSnapshotJob")["request"]
# GetLiveSnapshotJob's page gives every field's example but not the whole JSON: this answer is ours,
# made of those field examples; the two times are ours too.
ICE_JOB = {
    "RequestId": ICE_REQUEST_ID, "JobId": ICE_JOB_ID, "JobName": "Screenshot Task 1",
    "TemplateId": ICE_TEMPLATE_ID, "TemplateName": "Template 1", "Status": "started",
    "StreamInput": {"Url": "rtmp://www.aliyun.com/stream", "Type": "rtmp"},
    "SnapshotOutput": {"StorageType": "oss", "Endpoint": "oss-cn-shanghai.aliyuncs.com", "Bucket": "testbucket"},
    "OverwriteFormat": "snapshot/{JobId}.jpg", "SequenceFormat": "snapshot/{JobId}/{UnixTimestamp}.jpg",
    "TimeInterval": 5, "CallbackUrl": "http://www.aliyun.com/snapshot/callback", "CreateTime": "2022-02-02T22:22:22Z",
    "LastModified": "2022-02-02T22:22:22Z",
}
_ICE_TEMPLATE = documented("alibaba", "GetLiveSnapshotTemplate")

ALIBABA = [
    ("submit-job", "SubmitLiveSnapshotJob", ICE_SUBMIT, 200, _doc_output("alibaba", "SubmitLiveSnapshotJob")),
    ("get-job", "GetLiveSnapshotJob", {"JobId": ICE_JOB_ID}, 200, ICE_JOB),
    ("list-jobs", "ListLiveSnapshotJobs",
     {"PageNo": 1, "PageSize": 100, "SearchKeyWord": "Screenshot", "SortBy": "desc",
      "StartTime": "2022-02-01T00:00:00Z", "EndTime": "2022-03-01T00:00:00Z"}, 200,
     {"RequestId": ICE_REQUEST_ID, "PageNo": 1, "PageSize": 100, "SortBy": "desc", "TotalCount": 1,
      "JobList": [{k: ICE_JOB[k] for k in ("JobId", "JobName", "Status", "TemplateId", "TemplateName",
                                          "TimeInterval", "CreateTime", "SnapshotOutput")}]}),
    ("start-job", "SendLiveSnapshotJobCommand", documented("alibaba", "SendLiveSnapshotJobCommand")["request"], 200,
     _doc_output("alibaba", "SendLiveSnapshotJobCommand")),
    ("get-template", "GetLiveSnapshotTemplate", _ICE_TEMPLATE["request"], 200,
     _doc_output("alibaba", "GetLiveSnapshotTemplate")),
    ("create-template", "CreateLiveSnapshotTemplate",
     {"TemplateName": "Template 1", "TimeInterval": 5, "OverwriteFormat": "snapshot/{JobId}.jpg",
      "SequenceFormat": "snapshot/{JobId}/{UnixTimestamp}.jpg"}, 200,
     {"RequestId": ICE_REQUEST_ID, "TemplateId": "****a046-263c-3560-978a-fb287782****"}),
    ("list-templates", "ListLiveSnapshotTemplates",
     {"PageNo": 1, "PageSize": 100, "SearchKeyWord": "Template", "Type": "custom"}, 200,
     {"RequestId": ICE_REQUEST_ID, "PageNo": 1, "PageSize": 100, "SortBy": "desc", "TotalCount": 1,
      "TemplateList": [{"TemplateId": "****a046-263c-3560-978a-fb287782****", "TemplateName": "Template 1",
                        "Type": "custom", "TimeInterval": 5, "CreateTime": "2022-02-02T22:22:22Z"}]}),
    ("get-job-not-found", "GetLiveSnapshotJob", {"JobId": "****0000-0000-0000-0000-000000000000****"}, 404,
     {"RequestId": ICE_REQUEST_ID, "HostId": "ice.cn-shanghai.aliyuncs.com", "Code": "JobNotFound",
      "Message": "No such job.", "Recommend": "https://api.aliyun.com/troubleshoot?q=JobNotFound&product=ICE"}),
]

TC_CREATE = {"StreamName": "livetest", "DomainName": "5000.live.push.com", "AppName": "live",
             "StartTime": DOC_TIME, "EndTime": 1589904000, "TemplateId": 0}
TC_DESCRIBE = {"AppName": "live", "DomainName": "5000.live.push.com", "StreamName": "livetest",
               "StartTime": 1595779200, "EndTime": 1595865600}
# The documented create sends numbers as strings ("10"); our client sends them as JSON integers.
TC_TEMPLATE = {"CosRegion": "beijing", "Description": "testDesc", "SnapshotInterval": 10, "PornFlag": 0,
               "CosBucket": "bucket", "TemplateName": "testName", "Height": 250, "CosAppId": 8954511, "Width": 250}
TENCENT = [
    ("create-task", "CreateScreenshotTask", TC_CREATE, 200, _doc_output("tencent", "CreateScreenshotTask")),
    ("describe-tasks", "DescribeScreenshotTask", TC_DESCRIBE, 200, _doc_output("tencent", "DescribeScreenshotTask")),
    ("stop-task", "StopScreenshotTask", {"TaskId": TC_STOPPED_ID}, 200, _doc_output("tencent", "StopScreenshotTask")),
    ("delete-task", "DeleteScreenshotTask", {"TaskId": TC_DELETED_ID}, 200,
     _doc_output("tencent", "DeleteScreenshotTask")),
    ("create-template", "CreateLiveSnapshotTemplate", TC_TEMPLATE, 200,
     _doc_output("tencent", "CreateLiveSnapshotTemplate")),
    ("describe-templates", "DescribeLiveSnapshotTemplates", {}, 200,
     _doc_output("tencent", "DescribeLiveSnapshotTemplates")),
    ("stop-task-bad-signature", "StopScreenshotTask", {"TaskId": "nope"}, 200,
     {"Response": {"Error": {"Code": "AuthFailure.SignatureFailure",
                             "Message": "The provided credentials could not be validated."},
                   "RequestId": "ed93f3cb-f35e-473f-b9f3-0d451b8b79c6"}}),
]

# Which cassettes hold a vendor's own example (the action it documents) and which are ours (why).
ORIGIN: dict[tuple[str, str], str] = {
    ("alibaba", "submit-job"): "documented:SubmitLiveSnapshotJob",
    ("alibaba", "start-job"): "documented:SendLiveSnapshotJobCommand",
    ("alibaba", "get-template"): "documented:GetLiveSnapshotTemplate",
    ("alibaba", "get-job"): "ours: GetLiveSnapshotJob's page lists each field's example but shows no whole "
                            "answer; built from those field examples, with our times",
    ("alibaba", "list-jobs"): "ours: the get-job answer as a list item; the request window is ours",
    ("alibaba", "create-template"): "ours: GetLiveSnapshotTemplate's example fields as a create",
    ("alibaba", "list-templates"): "ours: the get-template example as a list item",
    ("alibaba", "get-job-not-found"): "ours: the documented JobNotFound (404, 'No such job.') in ICE's error shape",
    ("tencent", "create-task"): "documented:CreateScreenshotTask",
    ("tencent", "describe-tasks"): "documented:DescribeScreenshotTask",
    ("tencent", "stop-task"): "documented:StopScreenshotTask",
    ("tencent", "delete-task"): "documented:DeleteScreenshotTask",
    ("tencent", "create-template"): "documented:CreateLiveSnapshotTemplate",
    ("tencent", "describe-templates"): "documented:DescribeLiveSnapshotTemplates",
    ("tencent", "stop-task-bad-signature"): "ours: the documented AuthFailure.SignatureFailure code in Tencent's "
                                            "error envelope; the message and RequestId are ours",
}


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
                        "origin": ORIGIN[(vendor, name)], "version": 1}
            path = CASSETTES / vendor / f"{name}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(cassette, sort_keys=True, allow_unicode=True))


if __name__ == "__main__":
    build_cassettes()
