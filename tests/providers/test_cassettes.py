"""Cassettes: the vendor-documented exchanges, replayed through our clients with vcrpy, and the same
requests sent to the emulator, whose answers must have the same shape (the contract test).

Matching is on method, host, vendor action header and body; auth, date and nonce headers are filtered.
``LIVESNAP_RECORD=1`` (with real credentials in the environment) re-records the read-only exchanges
against the real clouds into ``cassettes/recorded/``; it is skipped otherwise (and in CI).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import vcr
import yaml
from tencentcloud.live.v20180801 import models as tc_models

from livesnap_reconcile.errors import AuthError, NotFound
from livesnap_reconcile.providers import make_provider
from livesnap_reconcile.providers.alibaba import model as ice_model
from livesnap_reconcile.providers.tencent import model as tc_model
from livesnap_reconcile.resources import ProviderConfig
from tests.providers import exchanges as ex
from tests.providers.conftest import Sandbox
from tests.providers.scrub import scrub_request, scrub_response

FILTERED = ["authorization", "x-acs-signature-nonce", "x-acs-date", "x-acs-content-sha256", "x-tc-timestamp",
            "x-acs-security-token", "x-tc-token", "x-acs-accesskey-id"]
FAKE_KEYS = ("AKIDcassette000fake", "cassette-secret-value-xyz", None)


def _action(r1, r2) -> None:
    def name(r):
        return r.headers.get("x-acs-action") or r.headers.get("x-tc-action") or r.headers.get("X-TC-Action")
    assert name(r1) == name(r2)


def _body(r1, r2) -> None:
    assert (r1.body or b"") == (r2.body or b"")


def player(record_mode: str = "none", library: Path = ex.CASSETTES) -> vcr.VCR:
    recorder = vcr.VCR(cassette_library_dir=str(library), record_mode=record_mode,
                       match_on=["method", "host", "action", "raw_body"], filter_headers=FILTERED,
                       before_record_response=scrub_response, before_record_request=scrub_request)
    recorder.register_matcher("action", _action)
    recorder.register_matcher("raw_body", _body)
    return recorder


def doc_provider(vendor: str, **kw):
    config = ProviderConfig(name="doc", vendor=vendor, region="cn-shanghai" if vendor == "alibaba" else "ap-guangzhou")
    return make_provider(config, credentials=FAKE_KEYS, clock=lambda: ex.DOC_TIME - 60, sleep=lambda s: None,
                         max_attempts=1, **kw)


def cassette_response(vendor: str, name: str) -> dict:
    data = yaml.safe_load((ex.CASSETTES / vendor / f"{name}.yaml").read_text())
    return json.loads(data["interactions"][0]["response"]["body"]["string"])


@pytest.mark.parametrize(("name", "action", "params", "status", "payload"), ex.ALIBABA, ids=[e[0] for e in ex.ALIBABA])
def test_ice_client_parses_documented_exchanges(name, action, params, status, payload):
    provider = doc_provider("alibaba")
    with player().use_cassette(f"alibaba/{name}.yaml") as cassette:
        if status != 200:
            with pytest.raises(NotFound) as info:
                provider.client.rpc(action, params)
            assert info.value.code == "JobNotFound" and info.value.request_id == ex.ICE_REQUEST_ID
        else:
            data = provider.client.rpc(action, params)
            assert data == payload
            if action == "GetLiveSnapshotJob":
                job = ice_model.job_object(data, provider="doc")
                assert job.attributes["rtmp_url"] == "rtmp://www.aliyun.com/stream" and job.status == "started"
            if action == "SubmitLiveSnapshotJob":
                assert data["JobId"] == ex.ICE_SUBMITTED_ID
    assert cassette.play_count == 1


@pytest.mark.parametrize(("name", "action", "params", "status", "payload"), ex.TENCENT, ids=[e[0] for e in ex.TENCENT])
def test_tencent_client_parses_documented_exchanges(name, action, params, status, payload):
    provider = doc_provider("tencent")
    with player().use_cassette(f"tencent/{name}.yaml") as cassette:
        if "Error" in payload["Response"]:
            with pytest.raises(AuthError) as info:
                provider.client.rpc(action, params)
            assert info.value.code == "AuthFailure.SignatureFailure"
        else:
            data = provider.client.rpc(action, params)
            assert data == payload["Response"]
            if action == "DescribeScreenshotTask":
                tasks = [tc_model.task_object(t, provider="doc", now=1595790000) for t in data["TaskList"]]
                assert [t.status for t in tasks] == ["stopped", "running"]
                assert tasks[0].attributes["template"] == {"id": "123"}
    assert cassette.play_count == 1


def test_provider_create_task_replays_the_documented_create():
    """The provider (not just the client) produces the documented request and parses the TaskId."""
    provider = doc_provider("tencent")
    attrs = {"domain": "5000.live.push.com", "app": "live", "stream": "livetest", "start": ex.DOC_TIME,
             "end": ex.TC_CREATE["EndTime"], "template": {"id": "0"}}
    with player().use_cassette("tencent/create-task.yaml"):
        created = provider.create("task", attrs)
    assert created.remote_id == ex.TC_TASK_ID and created.attributes == attrs


def shape(value):
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items() if k not in ("RequestId",)}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return "any" if value is None else type(value).__name__


def _sdk_fields(key: str) -> bool:
    """A field the Tencent SDK's response models know, though an example may leave it out."""
    return any(f":type {key}:" in (getattr(tc_models, name).__init__.__doc__ or "") for name in _TC_MODELS)


_TC_MODELS = [n for n in dir(tc_models) if n.endswith(("Response", "Info", "Task"))]


def differences(doc, emu, path="", known=lambda key: False) -> list[str]:
    """Shape differences; an emulator field the example lacks is fine if ``known`` (to the SDK)."""
    if doc == "any" or emu == "any":
        return []
    if isinstance(doc, dict) and isinstance(emu, dict):
        out = [f"{path}.{k} missing" for k in doc if k not in emu]
        out += [f"{path}.{k} extra" for k in emu if k not in doc and not known(k)]
        return out + [d for k in doc if k in emu for d in differences(doc[k], emu[k], f"{path}.{k}", known)]
    if isinstance(doc, list) and isinstance(emu, list):
        return differences(doc[0], emu[0], path + "[]", known) if doc and emu else []
    return [] if doc == emu else [f"{path}: {doc} vs {emu}"]


def test_contract_emulator_answers_tencent_exchanges_with_the_same_shapes():
    box = Sandbox()
    box.clock.set(ex.DOC_TIME - 60)
    css = box.provider("tencent")
    rpc = css.client.rpc
    answers = {"create-task": rpc("CreateScreenshotTask", ex.TC_CREATE)}
    task_id = answers["create-task"]["TaskId"]
    answers["describe-tasks"] = rpc("DescribeScreenshotTask", {"StartTime": ex.DOC_TIME - 60, "EndTime": ex.DOC_TIME + 86400})
    answers["stop-task"] = rpc("StopScreenshotTask", {"TaskId": task_id})
    answers["delete-task"] = rpc("DeleteScreenshotTask", {"TaskId": task_id})
    answers["create-template"] = rpc("CreateLiveSnapshotTemplate", ex.TC_TEMPLATE)
    answers["describe-templates"] = rpc("DescribeLiveSnapshotTemplates", {})
    for name, answer in answers.items():
        doc = cassette_response("tencent", name)["Response"]
        assert differences(shape(doc), shape(answer), known=_sdk_fields) == [], name
    with pytest.raises(AuthError) as info:
        box.provider("tencent", credentials=(FAKE_KEYS[0], "wrong", None)).client.rpc("StopScreenshotTask", {"TaskId": "x"})
    assert info.value.code.startswith("AuthFailure")


def test_contract_emulator_answers_ice_exchanges_with_the_same_shapes():
    box = Sandbox()
    ice = box.provider("alibaba")
    rpc = ice.client.rpc
    params = {name: p for name, _, p, _, _ in ex.ALIBABA}
    answers = {"create-template": rpc("CreateLiveSnapshotTemplate", params["create-template"])}
    submit = {**ex.ICE_SUBMIT, "TemplateId": answers["create-template"]["TemplateId"]}
    answers["submit-job"] = rpc("SubmitLiveSnapshotJob", submit)
    job_id = answers["submit-job"]["JobId"]
    answers["get-job"] = rpc("GetLiveSnapshotJob", {"JobId": job_id})
    now = box.clock.now()
    answers["list-jobs"] = rpc("ListLiveSnapshotJobs", {**params["list-jobs"], "StartTime": ice_model.ice_time(now - 86400),
                                                         "EndTime": ice_model.ice_time(now + 60)})
    rpc("SendLiveSnapshotJobCommand", {"JobId": job_id, "Command": "stop"})
    answers["start-job"] = rpc("SendLiveSnapshotJobCommand", {"JobId": job_id, "Command": "start"})
    answers["get-template"] = rpc("GetLiveSnapshotTemplate", {"TemplateId": answers["create-template"]["TemplateId"]})
    answers["list-templates"] = rpc("ListLiveSnapshotTemplates", params["list-templates"])
    for name, answer in answers.items():
        assert differences(shape(cassette_response("alibaba", name)), shape(answer)) == [], name
    with pytest.raises(NotFound) as info:
        rpc("GetLiveSnapshotJob", {"JobId": "0" * 32})
    assert info.value.code == cassette_response("alibaba", "get-job-not-found")["Code"]


@pytest.mark.record
@pytest.mark.skipif(os.environ.get("LIVESNAP_RECORD") != "1", reason="opt-in: LIVESNAP_RECORD=1 with real credentials")
def test_record_read_only_exchanges_against_the_real_clouds():  # pragma: no cover - needs real accounts
    recorded = ex.CASSETTES / "recorded"
    for vendor, exchanges in (("alibaba", ex.ALIBABA), ("tencent", ex.TENCENT)):
        config = ProviderConfig(name="record", vendor=vendor, region=os.environ.get("LIVESNAP_RECORD_REGION", "cn-shanghai")
                                if vendor == "alibaba" else "ap-guangzhou")
        provider = make_provider(config, max_attempts=1)
        for name, action, params, _status, _payload in exchanges:
            if not action.startswith(("List", "Describe")):
                continue  # never create or stop real objects from a test
            with player("all", recorded).use_cassette(f"{vendor}/{name}.yaml"):
                provider.client.rpc(action, params)
