"""The ICE RPC client: wire format of requests and success envelopes.

Owns: how an action's parameters travel (POST form body, sorted and ``urlencode``d, nested objects
as compact JSON strings; GET query), the ``x-acs-action``/``x-acs-version`` headers and decoding a
2xx JSON body. Signing is `Acs3Auth`, retries and pacing are `Caller`, error classes are `errors`.
It must not know livesnap resources.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import httpx

from livesnap_reconcile.errors import Unavailable
from livesnap_reconcile.providers.alibaba.errors import map_error
from livesnap_reconcile.providers.http import Call, Caller

VERSION = "2020-11-09"
FORM = "application/x-www-form-urlencoded"

# (method, non-idempotent write?) per action; every ICE call shares the "ice" bucket.
ACTIONS: dict[str, tuple[str, bool]] = {
    "SubmitLiveSnapshotJob": ("POST", True),
    "GetLiveSnapshotJob": ("GET", False),
    "ListLiveSnapshotJobs": ("GET", False),
    "SendLiveSnapshotJobCommand": ("POST", False),
    "CreateLiveSnapshotTemplate": ("POST", True),
    "UpdateLiveSnapshotTemplate": ("POST", False),
    "DeleteLiveSnapshotTemplate": ("POST", False),
    "GetLiveSnapshotTemplate": ("GET", False),
    "ListLiveSnapshotTemplates": ("GET", False),
    "ListLiveSnapshotFiles": ("GET", False),
}


def compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def to_wire(params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Sorted string pairs: None dropped, dicts/lists as JSON strings, scalars via str()."""
    out: list[tuple[str, str]] = []
    for key in sorted(params):
        value = params[key]
        if value is None:
            continue
        if isinstance(value, (dict, list)):
            out.append((key, compact_json(value)))
        else:
            out.append((key, str(value)))
    return out


def form_body(params: Mapping[str, Any]) -> bytes:
    return urlencode(to_wire(params)).encode("utf-8")


class IceClient:
    def __init__(self, *, caller: Caller, endpoint: str, provider: str) -> None:
        self.caller = caller
        self.endpoint = endpoint
        self.provider = provider

    def build(self, action: str, params: Mapping[str, Any]) -> httpx.Request:
        method = ACTIONS[action][0]
        headers = {"x-acs-action": action, "x-acs-version": VERSION, "accept": "application/json"}
        url = self.endpoint + "/"
        if method == "GET":
            query: list[tuple[str, Any]] = list(to_wire(params))
            return httpx.Request("GET", url, params=query, headers=headers)
        headers["content-type"] = FORM
        return httpx.Request("POST", url, content=form_body(params), headers=headers)

    def parse(self, action: str, response: httpx.Response) -> dict[str, Any]:
        if response.status_code >= 300:
            raise map_error(response, provider=self.provider, action=action)
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise Unavailable(f"{action}: response is not a JSON object", provider=self.provider,
                              status=response.status_code)
        return data

    def rpc(self, action: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        params = dict(params or {})
        call = Call(action=action, group="ice", write=ACTIONS[action][1])
        return self.caller.call(call, lambda: self.build(action, params), lambda r: self.parse(action, r))
