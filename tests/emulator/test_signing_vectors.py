"""The emulator's independent verifiers against the vendor documents' signing vectors.

What we test here: each vector of vendors/alibaba-ice.md §4.1 and vendors/tencent-live.md §2.1-2.2
verifies (the verifier returns the key id), and changing one byte of the signature, of a signed
header, of the body or of the query makes it fail with the vendor's signature error.
"""

from __future__ import annotations

import calendar
import hashlib
import time

import pytest

from livesnap_reconcile.emulator.signing import NonceCache, verify_acs3, verify_tc3
from livesnap_reconcile.emulator.wire import ApiError

UA = "AlibabaCloud (Linux; x86_64) Python/3.11.0 Core/0.4.3 TeaDSL/2"
ACS_NOW = float(calendar.timegm(time.strptime("2024-01-01T00:00:00Z", "%Y-%m-%dT%H:%M:%SZ")))
SUBMIT_BODY = (b"CallbackUrl=https%3A%2F%2Fexample.com%2Fcb&JobName=job1&SnapshotOutput=%7B%22Bucket%22%3A%22my-bucket"
               b"%22%2C%22Endpoint%22%3A%22oss-cn-shanghai.aliyuncs.com%22%2C%22StorageType%22%3A%22oss%22%7D&StreamInput"
               b"=%7B%22Type%22%3A%22rtmp%22%2C%22Url%22%3A%22rtmp%3A%2F%2Flive.example.com%2Fapp%2Fstream%22%7D&Temp"
               b"lateId=tpl-123")
LIST_QUERY = ("EndTime=2024-01-02T00%3A00%3A00Z&PageNo=1&PageSize=20&SearchKeyWord=a+b%2Fc~&SortBy=desc"
              "&StartTime=2024-01-01T00%3A00%3A00Z&Status=started")


def _acs_headers(action: str, body: bytes, *, signed: str, signature: str, form: bool) -> dict[str, str]:
    headers = {"accept": "application/json", "host": "ice.cn-shanghai.aliyuncs.com", "user-agent": UA,
               "x-acs-action": action, "x-acs-content-sha256": hashlib.sha256(body).hexdigest(),
               "x-acs-credentials-provider": "static_ak", "x-acs-date": "2024-01-01T00:00:00Z",
               "x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d", "x-acs-version": "2020-11-09"}
    if form:
        headers["content-type"] = "application/x-www-form-urlencoded"
    headers["authorization"] = f"ACS3-HMAC-SHA256 Credential=testid,SignedHeaders={signed},Signature={signature}"
    return headers


ACS_VECTORS = {
    "submit-all-headers": ("POST", "SubmitLiveSnapshotJob", SUBMIT_BODY, "",
                           "accept;content-type;host;user-agent;x-acs-action;x-acs-content-sha256;"
                           "x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version",
                           "7bc88f3c8732f72422ff22e4b3d66811855123abf27d42f6f7f52c48734e0606"),
    "submit-minimal": ("POST", "SubmitLiveSnapshotJob", SUBMIT_BODY, "",
                       "content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;"
                       "x-acs-version", "eca5adc3c62e1473b1da7d786d9629fe08b4a708595a7eded9b7ff93a2a41e4f"),
    "list-get": ("GET", "ListLiveSnapshotJobs", b"", LIST_QUERY,
                 "accept;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;"
                 "x-acs-signature-nonce;x-acs-version",
                 "75969e1b9d4303f6b17d837d3206712e682b070d5939dbf3c95b53bf313c1065"),
}


def _verify_acs(method: str, query: str, headers: dict[str, str], body: bytes) -> str:
    return verify_acs3(method=method, path="/", raw_query=query, header_items=headers.items(), body=body,
                       secrets={"testid": "testsecret"}, now=ACS_NOW, nonces=NonceCache())


@pytest.mark.parametrize("name", sorted(ACS_VECTORS))
def test_acs3_vector_verifies_and_one_byte_changes_fail(name):
    method, action, body, query, signed, signature = ACS_VECTORS[name]
    headers = _acs_headers(action, body, signed=signed, signature=signature, form=method == "POST")
    assert _verify_acs(method, query, headers, body) == "testid"

    bad_sig = dict(headers, authorization=headers["authorization"][:-1] + ("0" if signature[-1] != "0" else "1"))
    bad_header = dict(headers, **{"x-acs-signature-nonce": "4156853299f313e23d1673dc12e1703d"})
    for mutated in (bad_sig, bad_header):
        with pytest.raises(ApiError) as err:
            _verify_acs(method, query, mutated, body)
        assert err.value.code == "SignatureDoesNotMatch"
    if body:
        tampered = body.replace(b"job1", b"job2")
        with pytest.raises(ApiError, match="SignatureDoesNotMatch"):
            _verify_acs(method, query, headers, tampered)
    else:
        with pytest.raises(ApiError, match="SignatureDoesNotMatch"):
            _verify_acs(method, query.replace("PageNo=1", "PageNo=2"), headers, body)


TC_BODY_A = (b'{"StreamName": "livetest", "DomainName": "5000.live.push.com", "AppName": "live", "EndTime": 1589904000,'
             b' "TemplateId": 0, "StartTime": 1589889600}')
TC_QUERY_A = ("StreamName=livetest&DomainName=5000.live.push.com&AppName=live&EndTime=1589904000&TemplateId=0"
              "&StartTime=1589889600")
TC_BODY_B = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
TC_VECTORS = {
    # name: (method, query, body, content-type, host, secret id, secret key, service, ts, signed, signature)
    "A-post": ("POST", "", TC_BODY_A, "application/json", "live.tencentcloudapi.com", "AKIDtest", "testkey", "live",
               1589889600, "content-type;host", "767c12edc5fa782f2b0d0da60a28a61fcbe4f15a43b5a2a75e30e9985402bb93"),
    "A-get": ("GET", TC_QUERY_A, b"", "application/x-www-form-urlencoded", "live.tencentcloudapi.com", "AKIDtest",
              "testkey", "live", 1589889600, "content-type;host",
              "37bca36114edc51d6efb9777cd9cea587dbd1764a7bec7f9c804a1adc3f64b2c"),
    "B-doc": ("POST", "", TC_BODY_B, "application/json; charset=utf-8", "cvm.tencentcloudapi.com",
              "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "cvm", 1551113065,
              "content-type;host", "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"),
    "B-doc-action": ("POST", "", TC_BODY_B, "application/json; charset=utf-8", "cvm.tencentcloudapi.com",
                     "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "cvm", 1551113065,
                     "content-type;host;x-tc-action",
                     "644be983de9a8a3f00db8eadaba61467c3b429e2215758ba897b738ca469fd26"),
}


def _verify_tc(vector: tuple, *, query: str, body: bytes, headers: dict[str, str]) -> str:
    method, _, _, _, _, sid, skey, service, ts, _, _ = vector
    return verify_tc3(method=method, raw_query=query, header_items=headers.items(), body=body,
                      secrets={sid: skey}, now=ts, service=service)


@pytest.mark.parametrize("name", sorted(TC_VECTORS))
def test_tc3_vector_verifies_and_one_byte_changes_fail(name):
    vector = TC_VECTORS[name]
    method, query, body, ctype, host, sid, _, service, ts, signed, signature = vector
    date = time.strftime("%Y-%m-%d", time.gmtime(ts))
    headers = {"Content-Type": ctype, "Host": host, "X-TC-Action": "DescribeInstances", "X-TC-Timestamp": str(ts),
               "Authorization": f"TC3-HMAC-SHA256 Credential={sid}/{date}/{service}/tc3_request, "
                                f"SignedHeaders={signed}, Signature={signature}"}
    assert _verify_tc(vector, query=query, body=body, headers=headers) == sid

    flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    cases = [(query, body, dict(headers, Authorization=headers["Authorization"].replace(signature, flipped))),
             (query, body, dict(headers, Host="x" + host[1:]))]
    cases.append((query, body.replace(b"1", b"2", 1), headers) if body else
                 (query.replace("livetest", "livetesu"), body, headers))
    for q, b, h in cases:
        with pytest.raises(ApiError) as err:
            _verify_tc(vector, query=q, body=b, headers=h)
        assert err.value.code == "AuthFailure.SignatureFailure"
