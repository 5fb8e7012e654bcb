"""A minimal signing client for in-process emulator tests (the SDK tests cover real clients)."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

import httpx

from livesnap_reconcile.emulator import SANDBOX_KEYS, Emulator
from livesnap_reconcile.emulator.signing import (
    acs3_canonical_query,
    acs3_canonical_request,
    acs3_signature,
    tc3_canonical_request,
    tc3_signature,
)

HOST = "sandbox.local"


class Caller:
    def __init__(self, emu: Emulator, *, keys: dict[str, tuple[str, str]] | None = None,
                 wall: float | None = None) -> None:
        self.client = httpx.Client(transport=emu.transport(), base_url=f"http://{HOST}")
        self.keys = keys or SANDBOX_KEYS
        self.wall = wall

    def _now(self) -> float:
        return self.wall if self.wall is not None else time.time()

    def ice_request(self, action: str, *, method: str = "POST", **params: Any) -> httpx.Request:
        key_id, secret = self.keys["alibaba"]
        params = {k: (json.dumps(v, separators=(",", ":")) if isinstance(v, dict) else str(v))
                  for k, v in params.items()}
        body = urlencode(sorted(params.items())).encode() if method == "POST" else b""
        query = "" if method == "POST" else urlencode(sorted(params.items()))
        headers = {"host": HOST, "x-acs-action": action, "x-acs-version": "2020-11-09",
                   "x-acs-date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self._now())),
                   "x-acs-signature-nonce": uuid.uuid4().hex,
                   "x-acs-content-sha256": hashlib.sha256(body).hexdigest()}
        if body:
            headers["content-type"] = "application/x-www-form-urlencoded"
        signed = sorted(headers)
        canonical = acs3_canonical_request(
            method, "/", query=acs3_canonical_query(params.items() if method == "GET" else []),
            headers={k: [v] for k, v in headers.items()}, signed=signed,
            payload_hash=headers["x-acs-content-sha256"])
        headers["authorization"] = (f"ACS3-HMAC-SHA256 Credential={key_id},SignedHeaders={';'.join(signed)},"
                                    f"Signature={acs3_signature(secret, canonical)}")
        return self.client.build_request(method, "/" + (f"?{query}" if query else ""), headers=headers,
                                         content=body)

    def ice(self, action: str, *, method: str = "POST", **params: Any) -> httpx.Response:
        return self.client.send(self.ice_request(action, method=method, **params))

    def tc(self, action: str, *, method: str = "POST", version: str = "2018-08-01", region: str | None = None,
           **params: Any) -> dict[str, Any]:
        resp = self.tc_raw(action, method=method, version=version, region=region, **params)
        assert resp.status_code == 200 and resp.headers["content-type"] == "application/json"
        result: dict[str, Any] = resp.json()["Response"]
        return result

    def tc_raw(self, action: str, *, method: str = "POST", version: str = "2018-08-01", region: str | None = None,
               **params: Any) -> httpx.Response:
        secret_id, secret_key = self.keys["tencent"]
        ts = int(self._now())
        body = json.dumps(params).encode() if method == "POST" else b""
        query = urlencode(params) if method == "GET" else ""
        ctype = "application/json" if method == "POST" else "application/x-www-form-urlencoded"
        headers = {"content-type": ctype, "host": HOST}
        canonical = tc3_canonical_request(method, query=query, headers={k: [v] for k, v in headers.items()},
                                          signed=["content-type", "host"],
                                          payload_hash=hashlib.sha256(body).hexdigest())
        sig = tc3_signature(secret_key, service="live", timestamp=ts, canonical_request=canonical)
        date = time.strftime("%Y-%m-%d", time.gmtime(ts))
        headers.update({"X-TC-Action": action, "X-TC-Version": version, "X-TC-Timestamp": str(ts),
                        "Authorization": f"TC3-HMAC-SHA256 Credential={secret_id}/{date}/live/tc3_request, "
                                         f"SignedHeaders=content-type;host, Signature={sig}"})
        if region:
            headers["X-TC-Region"] = region
        return self.client.request(method, "/" + (f"?{query}" if query else ""), headers=headers, content=body)


def tc_template(caller: Caller, name: str = "thumbs") -> int:
    out = caller.tc("CreateLiveSnapshotTemplate", TemplateName=name, CosAppId=1250000000, CosBucket="b",
                    CosRegion="ap-guangzhou")
    return int(out["TemplateId"])


def ice_template(caller: Caller, name: str = "every-10s") -> str:
    resp = caller.ice("CreateLiveSnapshotTemplate", TemplateName=name, TimeInterval=10,
                      SequenceFormat="snapshot/{JobId}/{UnixTimestamp}.jpg")
    assert resp.status_code == 200, resp.text
    return str(resp.json()["TemplateId"])


def submit_job(caller: Caller, template_id: str, *, name: str = "job", url: str = "rtmp://push.example.com/live/a") -> httpx.Response:
    return caller.ice("SubmitLiveSnapshotJob", JobName=name, TemplateId=template_id,
                      StreamInput={"Type": "rtmp", "Url": url},
                      SnapshotOutput={"Bucket": "snaps", "Endpoint": "oss-cn-shanghai.aliyuncs.com", "StorageType": "oss"})
