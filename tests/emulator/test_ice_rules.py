"""ICE rules in-process: job status from stream liveness, the 100 started jobs limit, list filters
(SearchKeyWord, Status, CreateTime window, its 30-day span and its default start of now - 7 days),
template rules, gateway errors."""

from __future__ import annotations

from tests.emulator.conftest import NOW
from tests.emulator.helpers import Caller, ice_template, submit_job

URL = "rtmp://push.example.com/live/a"


def test_submit_starts_live_streams_and_inits_offline_ones(caller, emu):
    tpl = ice_template(caller)
    live = submit_job(caller, tpl, name="live").json()["JobId"]
    emu.set_stream_offline("rtmp://push.example.com/live/b")
    off = submit_job(caller, tpl, name="off", url="rtmp://push.example.com/live/b").json()["JobId"]
    assert {j["JobId"]: j["Status"] for j in emu.alibaba_jobs()} == {live: "started", off: "init"}
    resp = caller.ice("SendLiveSnapshotJobCommand", JobId=off, Command="start")
    assert (resp.status_code, resp.json()["Code"]) == (400, "StreamNotFound")


def test_at_most_100_started_jobs_is_a_start_rule_not_a_submit_rule(caller, emu):
    tpl = ice_template(caller)
    for i in range(100):
        assert submit_job(caller, tpl, name=f"j{i}").status_code == 200
    extra = submit_job(caller, tpl, name="j100")  # accepted, not run: Submit documents no limit
    assert extra.status_code == 200
    status = {j["JobId"]: j["Status"] for j in emu.alibaba_jobs()}
    assert status[extra.json()["JobId"]] == "init"
    resp = caller.ice("SendLiveSnapshotJobCommand", JobId=extra.json()["JobId"], Command="start")
    assert (resp.status_code, resp.json()["Code"]) == (400, "JobLimitExceeded")
    first = emu.alibaba_jobs()[0]["JobId"]
    caller.ice("SendLiveSnapshotJobCommand", JobId=first, Command="stop")
    assert caller.ice("SendLiveSnapshotJobCommand", JobId=extra.json()["JobId"], Command="start").status_code == 200


def test_bad_list_times_answer_the_documented_codes(caller):
    def code(**times):
        resp = caller.ice("ListLiveSnapshotJobs", method="GET", **times)
        return resp.status_code, resp.json()["Code"]

    assert code(StartTime="yesterday") == (400, "MalformedStartTime")
    assert code(StartTime="2026-11-24T00:00:00Z", EndTime="soon") == (400, "MalformedEndTime")
    assert code(StartTime="2026-11-24T00:00:00Z", EndTime="2026-11-23T00:00:00Z") == (400, "EndTimeMismatch")


def test_list_filters_and_time_window(caller, emu, clock):
    tpl = ice_template(caller)
    old = submit_job(caller, tpl, name="ls/news/old").json()["JobId"]
    clock.advance(8 * 86400)
    new = submit_job(caller, tpl, name="ls/news/new").json()["JobId"]
    submit_job(caller, tpl, name="other")
    listed = caller.ice("ListLiveSnapshotJobs", method="GET", SearchKeyWord="ls/news/").json()
    assert [j["JobId"] for j in listed["JobList"]] == [new] and listed["TotalCount"] == 1
    window = caller.ice("ListLiveSnapshotJobs", method="GET", SearchKeyWord="news",
                        StartTime="2026-11-24T00:00:00Z", EndTime="2026-12-20T00:00:00Z").json()
    assert [j["JobId"] for j in window["JobList"]] == [new, old]
    assert "StreamInput" not in window["JobList"][0]
    too_long = caller.ice("ListLiveSnapshotJobs", method="GET", StartTime="2026-10-01T00:00:00Z",
                          EndTime="2026-11-25T00:00:00Z")
    assert (too_long.status_code, too_long.json()["Code"]) == (400, "InvalidParameter")
    caller.ice("SendLiveSnapshotJobCommand", JobId=new, Command="stop")
    paused = caller.ice("ListLiveSnapshotJobs", method="GET", Status="paused").json()
    assert [j["JobId"] for j in paused["JobList"]] == [new]


def test_start_time_defaults_to_a_week_before_now_not_before_end_time(caller, clock):
    tpl = ice_template(caller)
    old = submit_job(caller, tpl, name="ls/news/old").json()["JobId"]
    clock.advance(20 * 86400)
    recent = submit_job(caller, tpl, name="ls/news/recent").json()["JobId"]
    # With EndTime alone the window still starts at now - 7 days: a job made 20 days ago is
    # not listed, and an EndTime before that start is refused as a mismatch.
    ends_now = caller.ice("ListLiveSnapshotJobs", method="GET", EndTime="2026-12-15T01:00:00Z").json()
    assert [j["JobId"] for j in ends_now["JobList"]] == [recent]
    ends_then = caller.ice("ListLiveSnapshotJobs", method="GET", EndTime="2026-11-26T00:00:00Z")
    assert (ends_then.status_code, ends_then.json()["Code"]) == (400, "EndTimeMismatch")
    starts_then = caller.ice("ListLiveSnapshotJobs", method="GET", StartTime="2026-11-25T00:00:00Z").json()
    assert [j["JobId"] for j in starts_then["JobList"]] == [recent, old]


def test_template_format_rules_and_system_template_is_read_only(caller, emu):
    cases = [dict(OverwriteFormat="/abs.jpg"), dict(OverwriteFormat="snap/{Date}.jpg"),
             dict(SequenceFormat="snap/{JobId}.jpg"), dict(SequenceFormat="snap/{Sequence}.png"), {}]
    for extra in cases:
        resp = caller.ice("CreateLiveSnapshotTemplate", TemplateName="t", TimeInterval=10, **extra)
        assert (resp.status_code, resp.json()["Code"]) == (400, "InvalidParameter"), extra
    system = [t for t in emu.alibaba_templates() if t["Type"] == "system"]
    assert len(system) == 1
    resp = caller.ice("DeleteLiveSnapshotTemplate", TemplateId=system[0]["TemplateId"])
    assert (resp.status_code, resp.json()["Code"]) == (403, "Forbidden")


def test_gateway_errors(caller, emu):
    resp = caller.ice("NoSuchApi")
    assert (resp.status_code, resp.json()["Code"]) == (404, "InvalidApi.NotFound")
    req = caller.ice_request("ListLiveSnapshotTemplates", method="GET")
    assert caller.client.send(req).status_code == 200
    replay = caller.client.send(req)
    assert (replay.status_code, replay.json()["Code"]) == (400, "SignatureNonceUsed")
    tampered = caller.ice_request("CreateLiveSnapshotTemplate", TemplateName="t", TimeInterval=10,
                                  OverwriteFormat="snapshot/{JobId}.jpg")
    tampered.headers["x-acs-content-sha256"] = "0" * 64
    resp = caller.client.send(tampered)
    assert (resp.status_code, resp.json()["Code"]) == (400, "SignatureDoesNotMatch")
    body = resp.json()
    assert set(body) >= {"RequestId", "HostId", "Code", "Message"}
    assert resp.headers["content-type"].startswith("application/json")
    bad_version = caller.ice_request("ListLiveSnapshotTemplates", method="GET")
    bad_version.headers["x-acs-version"] = "2017-01-01"
    assert caller.client.send(bad_version).json()["Code"] == "InvalidVersion"


def test_create_time_uses_business_clock(caller, emu):
    tpl = ice_template(caller)
    job_id = submit_job(caller, tpl).json()["JobId"]
    got = caller.ice("GetLiveSnapshotJob", method="GET", JobId=job_id).json()
    assert got["CreateTime"] == "2026-11-25T01:00:00Z" and NOW == 1_795_568_400
    assert Caller(emu).ice("GetLiveSnapshotJob", method="GET", JobId="nope").status_code == 404


def test_a_stream_going_offline_drops_its_running_jobs_to_init_until_a_start(caller, emu):
    tpl = ice_template(caller)
    job_id = submit_job(caller, tpl, name="ls/ns/main").json()["JobId"]
    other = submit_job(caller, tpl, name="ls/ns/other", url="rtmp://push.example.com/live/other").json()["JobId"]
    emu.set_stream_offline("rtmp://push.example.com/live/a")
    assert {j["JobId"]: j["Status"] for j in emu.alibaba_jobs()} == {job_id: "init", other: "started"}
    refused = caller.ice("SendLiveSnapshotJobCommand", JobId=job_id, Command="restart")
    assert (refused.status_code, refused.json()["Code"]) == (400, "StreamNotFound")
    emu.set_stream_offline("rtmp://push.example.com/live/a", offline=False)
    assert {j["JobId"]: j["Status"] for j in emu.alibaba_jobs()}[job_id] == "init"  # no start by itself
    assert caller.ice("SendLiveSnapshotJobCommand", JobId=job_id, Command="start").status_code == 200
    assert {j["JobId"]: j["Status"] for j in emu.alibaba_jobs()}[job_id] == "started"


def test_a_template_update_reaches_a_job_only_when_it_restarts(caller, emu):
    tpl = ice_template(caller)
    job_id = submit_job(caller, tpl, name="ls/ns/main").json()["JobId"]
    caller.ice("UpdateLiveSnapshotTemplate", TemplateId=tpl, TemplateName="t", TimeInterval="30",
               SequenceFormat="s/{JobId}/{Sequence}.jpg").raise_for_status()
    assert caller.ice("GetLiveSnapshotJob", method="GET", JobId=job_id).json()["TimeInterval"] != 30
    assert caller.ice("SendLiveSnapshotJobCommand", JobId=job_id, Command="restart").status_code == 200
    assert caller.ice("GetLiveSnapshotJob", method="GET", JobId=job_id).json()["TimeInterval"] == 30
