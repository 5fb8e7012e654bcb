"""Signing: every vector of vendors/*.md byte for byte, our httpx.Auth end to end, and equality
with the official SDKs' own signer functions for generated inputs."""

from __future__ import annotations

import hashlib
import hmac
import json
from types import SimpleNamespace

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from livesnap_reconcile.providers.alibaba import auth as acs3
from livesnap_reconcile.providers.alibaba.client import form_body
from livesnap_reconcile.providers.credentials_common import Credentials
from livesnap_reconcile.providers.tencent import auth as tc3

# --- Alibaba ACS3-HMAC-SHA256 (vendors/alibaba-ice.md §4.1) ------------------------------------

ICE_HOST = "ice.cn-shanghai.aliyuncs.com"
UA = "AlibabaCloud (Linux; x86_64) Python/3.11.0 Core/0.4.3 TeaDSL/2"
NONCE = "3156853299f313e23d1673dc12e1703d"
DATE = "2024-01-01T00:00:00Z"
EPOCH_2024 = 1704067200
SUBMIT_BODY = (
    "CallbackUrl=https%3A%2F%2Fexample.com%2Fcb&JobName=job1&SnapshotOutput=%7B%22Bucket%22%3A%22my-bucket%22"
    "%2C%22Endpoint%22%3A%22oss-cn-shanghai.aliyuncs.com%22%2C%22StorageType%22%3A%22oss%22%7D&StreamInput="
    "%7B%22Type%22%3A%22rtmp%22%2C%22Url%22%3A%22rtmp%3A%2F%2Flive.example.com%2Fapp%2Fstream%22%7D&TemplateId=tpl-123"
)
SUBMIT_PARAMS = {
    "JobName": "job1", "TemplateId": "tpl-123", "CallbackUrl": "https://example.com/cb",
    "StreamInput": {"Type": "rtmp", "Url": "rtmp://live.example.com/app/stream"},
    "SnapshotOutput": {"Bucket": "my-bucket", "Endpoint": "oss-cn-shanghai.aliyuncs.com", "StorageType": "oss"},
}
SUBMIT_HASH = "4f82fb75f9bcbf12821bdaa518c1c406cb17224973d726de2eff7bd659299efc"


def sdk_headers(action: str, payload_hash: str, *, provider: str = "static_ak", form: bool = True) -> dict[str, str]:
    headers = {
        "accept": "application/json", "host": ICE_HOST, "user-agent": UA, "x-acs-action": action,
        "x-acs-content-sha256": payload_hash, "x-acs-credentials-provider": provider, "x-acs-date": DATE,
        "x-acs-signature-nonce": NONCE, "x-acs-version": "2020-11-09",
    }
    if form:
        headers["content-type"] = "application/x-www-form-urlencoded"
    return headers


def test_submit_body_is_byte_exact():
    assert form_body(SUBMIT_PARAMS).decode() == SUBMIT_BODY
    assert hashlib.sha256(SUBMIT_BODY.encode()).hexdigest() == SUBMIT_HASH


def test_acs3_submit_vector_with_sdk_headers():
    signed = acs3.sign(method="POST", query=[], headers=sdk_headers("SubmitLiveSnapshotJob", SUBMIT_HASH),
                       payload_hash=SUBMIT_HASH, key_id="testid", secret="testsecret")
    assert signed.string_to_sign == "ACS3-HMAC-SHA256\n4b5254c013d752ef0d67f79a9650046042062bf9af1fa58d342da59facbc7ca6"
    assert signed.authorization == (
        "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=accept;content-type;host;user-agent;x-acs-action;"
        "x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,"
        "Signature=7bc88f3c8732f72422ff22e4b3d66811855123abf27d42f6f7f52c48734e0606"
    )


def test_acs3_minimal_vector_from_our_auth_end_to_end():
    """Our Auth signs host, content-type and x-acs-*: the doc's 'minimal client' vector."""
    auth = acs3.Acs3Auth(Credentials("testid", "testsecret"), clock=lambda: EPOCH_2024, nonce=lambda: NONCE)
    request = httpx.Request("POST", f"https://{ICE_HOST}/", content=SUBMIT_BODY.encode(), headers={
        "x-acs-action": "SubmitLiveSnapshotJob", "x-acs-version": "2020-11-09", "accept": "application/json",
        "content-type": "application/x-www-form-urlencoded",
    })
    signed = next(auth.auth_flow(request))
    assert signed.headers["x-acs-content-sha256"] == SUBMIT_HASH
    assert signed.headers["Authorization"] == (
        "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;"
        "x-acs-date;x-acs-signature-nonce;x-acs-version,"
        "Signature=eca5adc3c62e1473b1da7d786d9629fe08b4a708595a7eded9b7ff93a2a41e4f"
    )


def test_acs3_get_vector_and_query_encoding():
    params = {"PageNo": "1", "PageSize": "20", "StartTime": "2024-01-01T00:00:00Z", "EndTime": "2024-01-02T00:00:00Z",
              "Status": "started", "SearchKeyWord": "a b/c~", "SortBy": "desc"}
    assert acs3.canonical_query(params.items()) == (
        "EndTime=2024-01-02T00%3A00%3A00Z&PageNo=1&PageSize=20&SearchKeyWord=a%20b%2Fc~&SortBy=desc"
        "&StartTime=2024-01-01T00%3A00%3A00Z&Status=started"
    )
    # The query as httpx puts it on the wire decodes back to the same params.
    url = httpx.URL(f"https://{ICE_HOST}/", params=sorted(params.items()))
    signed = acs3.sign(method="GET", query=url.params.multi_items(),
                       headers=sdk_headers("ListLiveSnapshotJobs", acs3.EMPTY_SHA256, form=False),
                       payload_hash=acs3.EMPTY_SHA256, key_id="testid", secret="testsecret")
    assert signed.signed_headers == ("accept;host;user-agent;x-acs-action;x-acs-content-sha256;"
                                     "x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version")
    assert signed.authorization.endswith("Signature=75969e1b9d4303f6b17d837d3206712e682b070d5939dbf3c95b53bf313c1065")


def test_acs3_sts_vector():
    headers = sdk_headers("GetLiveSnapshotJob", acs3.EMPTY_SHA256, provider="static_sts", form=False)
    headers |= {"x-acs-accesskey-id": "testid", "x-acs-security-token": "tok"}
    signed = acs3.sign(method="GET", query=[("JobId", "j1")], headers=headers, payload_hash=acs3.EMPTY_SHA256,
                       key_id="testid", secret="testsecret")
    assert signed.authorization.endswith("Signature=59dfa18ebd7f6e833bbfad2771fa1a1ce87254d5475addf7c5566ed18158a158")


def test_acs3_post_with_query_and_empty_body_vector():
    query = [("JobId", "j1"), ("CreateTimestampList", "[1700000000000,1700000005000]"), ("DeleteOriginalFile", "True")]
    assert acs3.canonical_query(query) == (
        "CreateTimestampList=%5B1700000000000%2C1700000005000%5D&DeleteOriginalFile=True&JobId=j1")
    signed = acs3.sign(method="POST", query=query, headers=sdk_headers("DeleteLiveSnapshotFiles", acs3.EMPTY_SHA256, form=False),
                       payload_hash=acs3.EMPTY_SHA256, key_id="testid", secret="testsecret")
    assert signed.authorization.endswith("Signature=bdd2d69fc1c486c814da98f1de357b5f2efc76a3512bb3c7e8f9732e8471fa10")


def test_acs3_auth_adds_sts_headers_and_signs_them():
    auth = acs3.Acs3Auth(Credentials("testid", "testsecret", "tok"), clock=lambda: EPOCH_2024, nonce=lambda: NONCE)
    request = next(auth.auth_flow(httpx.Request("GET", f"https://{ICE_HOST}/?JobId=j1", headers={"x-acs-action": "GetLiveSnapshotJob"})))
    assert request.headers["x-acs-security-token"] == "tok"
    assert "x-acs-security-token" in request.headers["Authorization"]


_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF), max_size=12)


@settings(max_examples=60, deadline=None)
@given(
    method=st.sampled_from(["GET", "POST"]),
    query=st.dictionaries(st.from_regex(r"[A-Za-z][A-Za-z0-9.]{0,8}", fullmatch=True), _text, max_size=4),
    extra=st.dictionaries(st.from_regex(r"x-acs-[a-z]{1,8}", fullmatch=True), _text.map(str.strip).filter(bool), max_size=3),
    body=st.binary(max_size=40),
    secret=st.text(alphabet="abcdefXYZ0123456789", min_size=1, max_size=20),
)
def test_acs3_equals_official_sdk(method, query, extra, body, secret):
    from alibabacloud_tea_openapi.utils import Utils

    headers = {"host": ICE_HOST, "x-acs-action": "ListLiveSnapshotJobs", **extra}
    payload = hashlib.sha256(body).hexdigest()
    sdk_request = SimpleNamespace(method=method, pathname="/", query=dict(query), headers=dict(headers))
    expected = Utils.get_authorization(sdk_request, "ACS3-HMAC-SHA256", payload, "AKID", secret)
    ours = acs3.sign(method=method, query=query.items(), headers=headers, payload_hash=payload, key_id="AKID", secret=secret)
    assert ours.authorization == expected


# --- Tencent TC3-HMAC-SHA256 (vendors/tencent-live.md §2.1, §2.2) ------------------------------

LIVE_HOST = "live.tencentcloudapi.com"
VECTOR_A_BODY = ('{"StreamName": "livetest", "DomainName": "5000.live.push.com", "AppName": "live", '
                 '"EndTime": 1589904000, "TemplateId": 0, "StartTime": 1589889600}')
VECTOR_A_SIG = "767c12edc5fa782f2b0d0da60a28a61fcbe4f15a43b5a2a75e30e9985402bb93"


def test_tc3_vector_a_and_intermediates():
    assert len(VECTOR_A_BODY.encode()) == 146
    signed = tc3.sign(secret_id="AKIDtest", secret_key="testkey", service="live", timestamp=1589889600, method="POST",
                      headers=[("Content-Type", "application/json"), ("Host", LIVE_HOST)], payload=VECTOR_A_BODY.encode())
    assert hashlib.sha256(VECTOR_A_BODY.encode()).hexdigest() == "f27ff8148e55b60ddd16caa555f122735e2370017dce918177ba8c280edeb8a5"
    assert hashlib.sha256(signed.canonical_request.encode()).hexdigest() == (
        "664d586d7d56f8f23af6d63ba19fd8e1c1e37b13ec681e270116e015b7fe3e41")
    assert signed.string_to_sign.startswith("TC3-HMAC-SHA256\n1589889600\n2020-05-19/live/tc3_request\n664d586d")
    k_date = hmac.new(b"TC3testkey", b"2020-05-19", hashlib.sha256).digest()
    assert k_date.hex() == "b84514784b0b016243afb29e1d7cb44812640a32c62b970ca309a1511ec16e2c"
    assert tc3.signing_key("testkey", "2020-05-19", "live").hex() == (
        "cf54646f17447db01bf4dd4fe2c4a2bed7c987369c012c6070e3820470ec633d")
    assert signed.authorization == (
        "TC3-HMAC-SHA256 Credential=AKIDtest/2020-05-19/live/tc3_request, SignedHeaders=content-type;host, "
        f"Signature={VECTOR_A_SIG}")


def test_tc3_auth_end_to_end_vector_a_token_not_signed():
    for creds in (Credentials("AKIDtest", "testkey"), Credentials("AKIDtest", "testkey", "tok123")):
        auth = tc3.Tc3Auth(creds, clock=lambda: 1589889600)
        request = httpx.Request("POST", f"https://{LIVE_HOST}/", content=VECTOR_A_BODY.encode(),
                                headers={"Content-Type": "application/json", "X-TC-Action": "CreateScreenshotTask"})
        signed = next(auth.auth_flow(request))
        assert signed.headers["Authorization"].endswith(f"Signature={VECTOR_A_SIG}")
        assert signed.headers["X-TC-Timestamp"] == "1589889600"
        assert signed.headers.get("X-TC-Token") == creds.token


def test_tc3_get_vector():
    query = ("StreamName=livetest&DomainName=5000.live.push.com&AppName=live&EndTime=1589904000"
             "&TemplateId=0&StartTime=1589889600")
    signed = tc3.sign(secret_id="AKIDtest", secret_key="testkey", service="live", timestamp=1589889600, method="GET",
                      headers=[("content-type", "application/x-www-form-urlencoded"), ("host", LIVE_HOST)],
                      payload=b"", canonical_query=query)
    assert hashlib.sha256(signed.canonical_request.encode()).hexdigest() == (
        "fa436428ccf43821dcf81d5d857f5a75fabb89734d6a9f2489d1dac6fbb12b58")
    assert signed.signature == "37bca36114edc51d6efb9777cd9cea587dbd1764a7bec7f9c804a1adc3f64b2c"


DOC_BODY = json.dumps({"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]})


def test_tc3_vector_b_official_doc():
    base = [("content-type", "application/json; charset=utf-8"), ("host", "cvm.tencentcloudapi.com")]
    kw = dict(secret_id="AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", secret_key="Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
              service="cvm", timestamp=1551113065, method="POST", payload=DOC_BODY.encode())
    signed = tc3.sign(headers=base, **kw)
    assert hashlib.sha256(signed.canonical_request.encode()).hexdigest() == (
        "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031")
    assert signed.signature == "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    with_action = tc3.sign(headers=[*base, ("X-TC-Action", "DescribeInstances")], **kw)
    assert with_action.signature == "644be983de9a8a3f00db8eadaba61467c3b429e2215758ba897b738ca469fd26"


def test_tc3_host_comes_from_the_url_port_included():
    auth = tc3.Tc3Auth(Credentials("AKIDtest", "testkey"), clock=lambda: 1589889600)
    request = next(auth.auth_flow(httpx.Request("POST", "http://127.0.0.1:8123/", content=b"{}",
                                                headers={"Content-Type": "application/json"})))
    expected = tc3.sign(secret_id="AKIDtest", secret_key="testkey", service="live", timestamp=1589889600,
                        method="POST", headers=[("content-type", "application/json"), ("host", "127.0.0.1:8123")],
                        payload=b"{}")
    assert request.headers["Authorization"] == expected.authorization


@settings(max_examples=60, deadline=None)
@given(
    key=st.text(alphabet="abcdefghXYZ0123456789", min_size=1, max_size=30),
    timestamp=st.integers(min_value=1_000_000_000, max_value=2_000_000_000),
    body=st.dictionaries(st.text(max_size=6), st.integers() | st.text(max_size=6), max_size=4),
)
def test_tc3_equals_official_sdk(key, timestamp, body):
    from tencentcloud.common.sign import Sign

    signed = tc3.sign(secret_id="AKID", secret_key=key, service="live", timestamp=timestamp, method="POST",
                      headers=[("content-type", "application/json"), ("host", LIVE_HOST)],
                      payload=json.dumps(body).encode())
    expected = Sign.sign_tc3(key, tc3.utc_date(timestamp), "live", signed.string_to_sign)
    assert signed.signature == expected
