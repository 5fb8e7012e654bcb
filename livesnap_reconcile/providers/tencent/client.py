"""The Tencent Cloud Live (2018-08-01) client: wire format of requests and the response envelope.

Owns: POST JSON bodies (``json.dumps`` with the SDK's default separators), the ``X-TC-*`` headers,
and unwrapping ``{"Response": {...}}`` (errors via `errors`). Signing is `Tc3Auth`, retries and
pacing are `Caller`. It must not know livesnap resources.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx

from livesnap_reconcile.errors import Invalid, Unavailable
from livesnap_reconcile.providers.http import Call, Caller
from livesnap_reconcile.providers.tencent.errors import map_error, map_http_status

VERSION = "2018-08-01"
# The screenshot task actions are documented for Region ap-guangzhou only (China site, 267/70279-81),
# whatever region the templates' COS storage is in.
TASK_REGION = "ap-guangzhou"
TASK_ACTIONS = frozenset({"CreateScreenshotTask", "DescribeScreenshotTask", "StopScreenshotTask",
                          "DeleteScreenshotTask"})
INTERNATIONAL = "international"
# The international site's SDK and CLI spec publish CreateScreenshotTask but none of these; its
# docs say Region "is not required for this API" (tencentcloud.com/document/api/267/54799).
NOT_ON_INTERNATIONAL = frozenset({"DescribeScreenshotTask", "StopScreenshotTask", "DeleteScreenshotTask"})

# (bucket group, non-idempotent write?) per action.
ACTIONS: dict[str, tuple[str, bool]] = {
    "CreateScreenshotTask": ("task", True),
    "DescribeScreenshotTask": ("task", False),
    "StopScreenshotTask": ("task", False),
    "DeleteScreenshotTask": ("task", False),
    "CreateLiveSnapshotTemplate": ("template", True),
    "DescribeLiveSnapshotTemplates": ("template", False),
    "DescribeLiveSnapshotTemplate": ("template", False),
    "ModifyLiveSnapshotTemplate": ("template", False),
    "DeleteLiveSnapshotTemplate": ("template", False),
    # Rules are keyed by domain, app and stream: a repeated create fails instead of duplicating,
    # but its outcome is still unknown after a lost answer, so it is looked up before a retry.
    "CreateLiveSnapshotRule": ("template", True),
    "DescribeLiveSnapshotRules": ("template", False),
    "DeleteLiveSnapshotRule": ("template", False),
}


class LiveClient:
    def __init__(self, *, caller: Caller, endpoint: str, provider: str, region: str, site: str | None = None) -> None:
        self.caller = caller
        self.endpoint = endpoint
        self.provider = provider
        self.region = region
        self.site = site or "china"

    def serves(self, action: str) -> bool:
        """Whether this provider's site publishes ``action``."""
        return not (self.site == INTERNATIONAL and action in NOT_ON_INTERNATIONAL)

    def build(self, action: str, params: Mapping[str, Any]) -> httpx.Request:
        headers = {
            "Content-Type": "application/json",
            "X-TC-Action": action,
            "X-TC-Version": VERSION,
            "X-TC-Language": "en-US",
        }
        region = TASK_REGION if action in TASK_ACTIONS else self.region
        if action in TASK_ACTIONS and self.site == INTERNATIONAL:
            region = ""  # documented as not required there, and ap-guangzhou is a China-site rule
        if region:
            headers["X-TC-Region"] = region
        body = json.dumps(dict(params)).encode("utf-8")
        return httpx.Request("POST", self.endpoint + "/", content=body, headers=headers)

    def parse(self, action: str, response: httpx.Response) -> dict[str, Any]:
        if response.status_code != 200:
            raise map_http_status(response.status_code, response.text, provider=self.provider, action=action)
        try:
            data = response.json()
        except ValueError:
            data = None
        body = data.get("Response") if isinstance(data, dict) else None
        if not isinstance(body, dict):
            raise Unavailable(f"{action}: response has no Response object", provider=self.provider, status=200)
        error = body.get("Error")
        if isinstance(error, dict):
            raise map_error(str(error.get("Code") or ""), str(error.get("Message") or ""),
                            str(body.get("RequestId") or ""), provider=self.provider, action=action)
        return body

    def rpc(self, action: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        params = dict(params or {})
        if not self.serves(action):
            raise Invalid(f"provider {self.provider!r}: Tencent's international site has no {action}",
                          provider=self.provider, code="InvalidAction")
        group, write = ACTIONS[action]
        call = Call(action=action, group=group, write=write)
        return self.caller.call(call, lambda: self.build(action, params), lambda r: self.parse(action, r))
