"""Wire formats and endpoints as the vendors expect them, and no secret in any exception, log or cassette."""

from __future__ import annotations

import json
import logging
from urllib.parse import parse_qsl

import httpx
import pytest

from livesnap_reconcile.emulator import Faults
from livesnap_reconcile.errors import Invalid, LivesnapError
from livesnap_reconcile.providers import SANDBOX_ENDPOINT, make_provider
from livesnap_reconcile.resources import ProviderConfig
from tests.providers.conftest import T0, Sandbox
from tests.providers.exchanges import CASSETTES
from tests.providers.fakes import ICE_KEYS, TC_KEYS, alibaba, tc_ok, tencent
from tests.providers.test_emulator_operations import ICE_TEMPLATE, job_attrs, task_attrs


def capture(reply):
    seen: list[httpx.Request] = []

    def handler(request):
        seen.append(request)
        return reply(request)
    return seen, handler


def test_ice_writes_are_sorted_form_bodies_with_json_strings_and_reads_are_queries():
    seen, handler = capture(lambda r: httpx.Response(200, json={"RequestId": "r", "JobId": "J1", "Status": "init"}))
    provider = alibaba(handler)
    provider.create("job", job_attrs("T1", status="started"))
    submit, get = seen
    assert submit.method == "POST" and submit.headers["content-type"] == "application/x-www-form-urlencoded"
    assert submit.headers["x-acs-version"] == "2020-11-09" and submit.url.query == b""
    form = parse_qsl(submit.content.decode())
    assert [k for k, _ in form] == sorted(k for k, _ in form)
    assert json.loads(dict(form)["StreamInput"]) == {"Type": "rtmp", "Url": "rtmp://push.example.com/live/main"}
    assert dict(form)["SnapshotOutput"] == ('{"Bucket":"media","Endpoint":"oss-cn-shanghai.aliyuncs.com",'
                                           '"StorageType":"oss"}')
    assert get.method == "GET" and get.content == b"" and get.url.params["JobId"] == "J1"
    assert "content-type" not in get.headers


def test_tencent_bodies_are_json_with_integer_template_ids_and_start_not_in_the_past():
    seen, handler = capture(lambda r: tc_ok({"TaskId": "T1"}))
    provider = tencent(handler)
    created = provider.create("task", task_attrs("12345", start=T0 - 3600))
    [request] = seen
    body = json.loads(request.content)
    assert body["TemplateId"] == 12345 and body["StartTime"] == T0 and created.attributes["template"] == {"id": "12345"}
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-TC-Version"] == "2018-08-01" and request.headers["X-TC-Region"] == "ap-guangzhou"
    assert request.headers["Host"] == "live.tencentcloudapi.com"


@pytest.mark.parametrize(("argument", "configured", "expected"), [
    (None, None, "https://ice.cn-hangzhou.aliyuncs.com"),
    (None, "https://ice.example.com/", "https://ice.example.com"),
    ("http://127.0.0.1:9000", "https://ice.example.com", "http://127.0.0.1:9000"),
    (SANDBOX_ENDPOINT, None, SANDBOX_ENDPOINT),
    ("http://[::1]:8080", None, "http://[::1]:8080"),
])
def test_endpoint_precedence(argument, configured, expected):
    config = ProviderConfig(name="ice", vendor="alibaba", region="cn-hangzhou", endpoint=configured)
    assert make_provider(config, credentials=ICE_KEYS, endpoint=argument).endpoint == expected


def test_tencent_default_endpoint():
    config = ProviderConfig(name="css", vendor="tencent", region="ap-guangzhou")
    assert make_provider(config, credentials=TC_KEYS).endpoint == "https://live.tencentcloudapi.com"


@pytest.mark.parametrize("url", ["http://ice.example.com", "http://10.0.0.1:8080", "http://localhost.example.com",
                                 "ftp://127.0.0.1", "not a url"])
def test_signed_requests_never_go_over_plain_http_to_remote_hosts(url):
    config = ProviderConfig(name="ice", vendor="alibaba", region="cn-shanghai")
    with pytest.raises(Invalid, match="ice"):
        make_provider(config, credentials=ICE_KEYS, endpoint=url)


SECRETS = [ICE_KEYS[1], TC_KEYS[1], "sts-token-value-0003", "cassette-secret-value-xyz"]


def test_no_secret_in_exceptions_logs_or_cassettes(caplog):
    caplog.set_level(logging.DEBUG)
    box = Sandbox(faults=Faults(rps=0, fail_rate=0.5))
    errors: list[BaseException] = []
    for vendor, keys in (("alibaba", ICE_KEYS), ("tencent", TC_KEYS)):
        for creds in ((keys[0], keys[1], None), (keys[0], keys[1], SECRETS[2])):
            provider = box.provider(vendor, credentials=creds, max_attempts=2)
            errors.append(AssertionError(repr(provider)))
            for call in (lambda p=provider: p.create("template", ICE_TEMPLATE),
                         lambda p=provider: p.create("task", task_attrs("1", start=T0 + 60)),
                         lambda p=provider: p.find("template", {"name": "ns-x"}, now=T0)):
                try:
                    call()
                except LivesnapError as exc:
                    errors.append(exc)
    assert any(isinstance(e, LivesnapError) for e in errors)
    texts = [f"{e!s} {e!r} {e.__cause__!r} {e.__context__!r}" for e in errors]
    texts += [r.getMessage() for r in caplog.records]
    texts += [p.read_text() for p in CASSETTES.rglob("*.yaml")]
    for text in texts:
        for secret in SECRETS:
            assert secret not in text
