"""After a template update, state records what the vendor reports, not what was asked.

A field the vendor silently kept must show as a difference in the next plan; recording the desired
value would hide it and label every later plan "changed outside livesnap".
"""

from __future__ import annotations

import httpx

from tests.providers.fakes import alibaba, ice_action, tc_action, tc_ok, tencent

TC_KEPT = {"TemplateId": 7, "TemplateName": "ns-a", "SnapshotInterval": 10, "Width": 0, "Height": 0,
           "PornFlag": 0, "CosAppId": 1, "CosBucket": "b", "CosRegion": "ap-guangzhou",
           "Description": "kept by the vendor", "CosPrefix": None, "CosFileName": None}
TC_WANT = {"name": "ns-a", "interval": 10, "width": 0, "height": 0, "porn_flag": 0, "cos_app_id": 1,
           "cos_bucket": "b", "cos_region": "ap-guangzhou", "description": ""}


def test_tencent_sends_an_explicit_clear_and_records_the_answer():
    sent = {}

    def handler(request: httpx.Request) -> httpx.Response:
        action, body = tc_action(request)
        sent[action] = body
        return tc_ok({"Template": TC_KEPT} if action == "DescribeLiveSnapshotTemplate" else {})

    obj = tencent(handler).update("template", "7", TC_WANT)
    assert sent["ModifyLiveSnapshotTemplate"]["Description"] == ""
    assert obj.attributes["description"] == "kept by the vendor"


def test_ice_records_the_formats_the_vendor_reports_after_an_update():
    def handler(request: httpx.Request) -> httpx.Response:
        action, _ = ice_action(request)
        if action == "GetLiveSnapshotTemplate":
            return httpx.Response(200, json={"RequestId": "r", "TemplateId": "t1", "TemplateName": "ns-a",
                                             "TimeInterval": 5, "OverwriteFormat": "kept/{JobId}.jpg",
                                             "SequenceFormat": "a/{Sequence}.jpg"})
        return httpx.Response(200, json={"RequestId": "r"})

    obj = alibaba(handler).update("template", "t1", {"name": "ns-a", "interval": 5, "overwrite_format": None,
                                                      "sequence_format": "a/{Sequence}.jpg"})
    assert obj.attributes["overwrite_format"] == "kept/{JobId}.jpg"
