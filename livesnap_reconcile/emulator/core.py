"""The sandbox `Emulator`: one `httpx.Request -> httpx.Response` handler for both vendors.

It routes by `x-acs-action` (ICE) or `X-TC-Action` (Tencent), verifies signatures against the
configured keys with the *wall* clock (clients sign with real time), applies rate limits and
faults, runs the action against the store in one transaction with the *business* clock, and
answers in each vendor's own response and error shapes. Test hooks (in `hooks.py`) change the
store "behind livesnap's back". Serving over HTTP lives in `server.py`.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx

from livesnap_reconcile.emulator import ice, sts, tencent, tencent_sites
from livesnap_reconcile.emulator.clock import Clock
from livesnap_reconcile.emulator.faults import Faults, FaultState, Resolved
from livesnap_reconcile.emulator.hooks import HooksMixin
from livesnap_reconcile.emulator.identity import Identity, TempKey, discovery, jwks
from livesnap_reconcile.emulator.metadata import Metadata, is_metadata
from livesnap_reconcile.emulator.signing import NonceCache, verify_acs3, verify_tc3
from livesnap_reconcile.emulator.store import Store, StoreError
from livesnap_reconcile.emulator.wire import ApiError, request_id

# Fixed, documented keys of the sandbox: not secrets; printed by `livesnap sandbox serve`.
SANDBOX_KEYS: dict[str, tuple[str, str]] = {
    "alibaba": ("LTAI5sandboxLivesnap0000", "sandbox-alibaba-secret-not-real-0000"),
    "tencent": ("AKIDsandboxLivesnap00000000000000000", "sandbox-tencent-key-not-real-0000"),
}
WELL_KNOWN = {"/.well-known/openid-configuration": discovery, "/.well-known/jwks.json": jwks}
ICE_CONTENT_TYPE = "application/json;charset=utf-8"
# Actions that only read, by the vendors' naming; one that writes after all sets `txn.wrote`.
_READ_PREFIXES = ("List", "Get", "Describe")
TC_CONTENT_TYPE = "application/json"  # exactly: the Tencent SDK ignores errors under any other type


def _normalise_keys(keys: Mapping[str, Any] | None) -> dict[str, dict[str, str]]:
    source = SANDBOX_KEYS if keys is None else keys
    out: dict[str, dict[str, str]] = {"alibaba": {}, "tencent": {}}
    for vendor, value in source.items():
        if vendor not in out:
            raise ValueError(f"unknown vendor {vendor!r} in keys (use 'alibaba' or 'tencent')")
        pairs = value.items() if isinstance(value, Mapping) else [tuple(value)]
        out[vendor].update({str(k): str(s) for k, s in pairs})
    return out


class Emulator(HooksMixin):
    def __init__(self, *, clock: Clock | None = None, data_dir: str | Path | None = None,
                 faults: Faults | None = None, seed: int = 0, keys: Mapping[str, Any] | None = None,
                 auth_clock: Callable[[], float] | None = None, timer: Callable[[], float] | None = None,
                 sleep: Callable[[float], None] | None = None, wall: Callable[[], float] = time.time) -> None:
        self.data_dir = Path(data_dir) if data_dir is not None else None
        if clock is None:
            clock = Clock(path=self.data_dir / "clock.json" if self.data_dir is not None else None, wall=wall)
        self.clock = clock
        self.store = Store(self.data_dir)
        self.faults = faults or Faults()
        self.seed = seed
        self.keys = _normalise_keys(keys)
        self._auth_clock = auth_clock or time.time
        self._timer = timer or time.monotonic
        self._sleep = sleep or time.sleep
        self._fault_state = FaultState(self.faults, seed=seed)
        self._nonces = NonceCache()
        self._log_lock = threading.Lock()
        self.request_log: list[tuple[str, str]] = []
        self.identity = Identity(now=self.clock.now)
        self.metadata = Metadata(self.identity)
        with self.store.transaction() as txn:
            ice.ensure_defaults(txn)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    # -- entry point ------------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        if request.url.path in WELL_KNOWN:
            return _json_response(200, WELL_KNOWN[request.url.path](), "application/json", {})
        if is_metadata(request.url.path):
            with self._log_lock:
                self.request_log.append(("metadata", request.url.path))
            return self.metadata.handle(request, now=self.clock.now())
        if "x-acs-action" in request.headers:
            vendor, action = "alibaba", request.headers["x-acs-action"]
        elif "x-tc-action" in request.headers:
            vendor, action = "tencent", request.headers["x-tc-action"]
        else:
            vendor = "tencent" if request.headers.get("authorization", "").startswith("TC3") else "alibaba"
            action = ""
        with self._log_lock:
            self.request_log.append((vendor, action))
        rule = self.faults.resolve(vendor, action)
        if rule.latency_ms > 0:
            self._sleep(rule.latency_ms / 1000.0)
        if vendor == "alibaba":
            return self._ice(request, body, action, rule)
        return self._tencent(request, body, action, rule)

    def _gate(self, vendor: str, action: str, rule: Resolved) -> None:
        """Rate limit and injected failures, before any work is done."""
        wait = self._fault_state.throttle(vendor, action, rule, now=self._timer())
        if wait > 0:
            retry_ms = str(max(1, math.ceil(wait * 1000)))
            if vendor == "alibaba":
                raise ApiError("Throttling.User", "Request was denied due to user flow control.",
                               headers={"x-acs-retry-after": retry_ms})
            raise ApiError("RequestLimitExceeded", "The number of requests exceeds the frequency limit.")
        if self._fault_state.roll(rule.fail_rate):
            raise ApiError("InternalError", "The request processing has failed due to some unknown error.",
                           status=500)

    def _run(self, actions: Mapping[str, Callable[..., dict[str, Any]]], action: str, params: dict[str, Any],
             *, vendor: str, rule: Resolved, request: httpx.Request) -> dict[str, Any]:
        self._gate(vendor, action, rule)
        try:
            with self.store.transaction(read_only=action.startswith(_READ_PREFIXES)) as txn:
                if vendor == "alibaba":
                    ice.ensure_defaults(txn)
                result = actions[action](params, txn, now=self.clock.now(), seed=self.seed)
        except StoreError as exc:
            raise ApiError("InternalError", str(exc), status=500) from None
        if txn.wrote and self._fault_state.roll(rule.drop_rate):
            if self.faults.drop_mode == "disconnect":
                raise httpx.RemoteProtocolError("Server disconnected without sending a response.",
                                                request=request)
            raise ApiError("InternalError", "The request processing has failed due to some unknown error.",
                           status=500)
        return result

    # -- Alibaba ICE ------------------------------------------------------------------------------

    def _ice(self, request: httpx.Request, body: bytes, action: str, rule: Resolved) -> httpx.Response:
        rid = request_id()
        host = request.headers.get("host", request.url.host)
        try:
            if not action:
                raise ApiError("MissingParameter", "The x-acs-action header is required.")
            if request.headers.get("x-acs-version") == sts.ALIBABA_VERSION and action in sts.ALIBABA_ACTIONS:
                result = self._ice_sts(request, body, action, rule)
                return _json_response(200, dict(result, RequestId=rid), ICE_CONTENT_TYPE, {"x-acs-request-id": rid})
            if action not in ice.ACTIONS:
                raise ApiError("InvalidApi.NotFound", "Specified api is not found, please check your url and method.",
                               status=404)
            if request.headers.get("x-acs-version") != ice.VERSION:
                raise ApiError("InvalidVersion", "Specified parameter Version is not valid.")
            self._acs3_verify(request, body)
            params = self._acs3_params(request, body)
            result = self._run(ice.ACTIONS, action, params, vendor="alibaba", rule=rule, request=request)
        except ApiError as exc:
            payload = {"RequestId": rid, "HostId": host, "Code": exc.code, "Message": exc.message,
                       "Recommend": f"https://api.aliyun.com/troubleshoot?q={exc.code}&product=ICE&requestId={rid}"}
            return _json_response(exc.status, payload, ICE_CONTENT_TYPE, dict(exc.headers, **{"x-acs-request-id": rid}))
        return _json_response(200, dict(result, RequestId=rid), ICE_CONTENT_TYPE, {"x-acs-request-id": rid})

    def _acs3_verify(self, request: httpx.Request, body: bytes) -> tuple[str, TempKey | None]:
        """(access key id, its STS session or None) of a correctly signed ICE/STS request."""
        key_id = verify_acs3(method=request.method, path=request.url.path,
                             raw_query=request.url.query.decode("ascii", "replace"),
                             header_items=request.headers.multi_items(), body=body,
                             secrets={**self.keys["alibaba"], **self.identity.secrets("alibaba")},
                             now=self._auth_clock(), nonces=self._nonces)
        return key_id, self.identity.check_session("alibaba", key_id, request.headers.get("x-acs-security-token"))

    @staticmethod
    def _acs3_params(request: httpx.Request, body: bytes) -> dict[str, Any]:
        params = dict(parse_qsl(request.url.query.decode("ascii", "replace"), keep_blank_values=True))
        if body and request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            params.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        return params

    def _ice_sts(self, request: httpx.Request, body: bytes, action: str, rule: Resolved) -> dict[str, Any]:
        session = self._acs3_verify(request, body) if action not in sts.ANONYMOUS else None
        params = self._acs3_params(request, body)
        self._gate("alibaba", action, rule)
        if action == "GetCallerIdentity" and session is not None:
            return sts.caller("alibaba", session[1], session[0])
        return sts.alibaba(self.identity, action, params)

    # -- Tencent Live -----------------------------------------------------------------------------

    def _tencent(self, request: httpx.Request, body: bytes, action: str, rule: Resolved) -> httpx.Response:
        rid = request_id().lower()
        try:
            if request.method not in ("GET", "POST"):
                raise ApiError("UnsupportedProtocol", "Only GET and POST are supported.")
            if request.headers.get("x-tc-version") == sts.TENCENT_VERSION and action in sts.TENCENT_ACTIONS:
                result = self._tencent_sts(request, body, action, rule)
                return _json_response(200, {"Response": dict(result, RequestId=rid)}, TC_CONTENT_TYPE, {})
            host = request.headers.get("host", request.url.host)
            served = tencent_sites.actions(host)
            if action not in served:
                raise ApiError("InvalidAction", f"The action `{action}` does not exist.")
            if request.headers.get("x-tc-version") != tencent.VERSION:
                raise ApiError("NoSuchVersion", "The requested version does not exist.")
            tencent_sites.check_region(action, request.headers.get("x-tc-region"), host)
            raw_query = request.url.query.decode("ascii", "replace")
            self._verify_tc3(request, body, raw_query, service="live")
            params = self._tencent_params(request, body, raw_query)
            result = self._run(served, action, params, vendor="tencent", rule=rule, request=request)
        except ApiError as exc:
            result = {"Error": {"Code": exc.code, "Message": exc.message}}
        return _json_response(200, {"Response": dict(result, RequestId=rid)}, TC_CONTENT_TYPE, {})

    def _verify_tc3(self, request: httpx.Request, body: bytes, raw_query: str, *,
                    service: str) -> tuple[str, TempKey | None]:
        secret_id = verify_tc3(method=request.method, raw_query=raw_query, header_items=request.headers.multi_items(),
                               body=body, secrets={**self.keys["tencent"], **self.identity.secrets("tencent")},
                               now=self._auth_clock(), service=service)
        return secret_id, self.identity.check_session("tencent", secret_id, request.headers.get("x-tc-token"))

    def _tencent_sts(self, request: httpx.Request, body: bytes, action: str, rule: Resolved) -> dict[str, Any]:
        raw_query = request.url.query.decode("ascii", "replace")
        session = None
        if action not in sts.ANONYMOUS:
            session = self._verify_tc3(request, body, raw_query, service="sts")
        elif request.headers.get("authorization", "").strip() != "SKIP":
            raise ApiError("AuthFailure.InvalidAuthorization", f"{action} is anonymous: send Authorization: SKIP.")
        params = self._tencent_params(request, body, raw_query)
        self._gate("tencent", action, rule)
        if action == "GetCallerIdentity" and session is not None:
            return sts.caller("tencent", session[1], session[0])
        return sts.tencent(self.identity, action, params)

    @staticmethod
    def _tencent_params(request: httpx.Request, body: bytes, raw_query: str) -> dict[str, Any]:
        if request.method == "GET":
            return dict(parse_qsl(raw_query, keep_blank_values=True))
        if not request.headers.get("content-type", "").startswith("application/json"):
            raise ApiError("InvalidParameter", "POST requests must carry a JSON body (Content-Type application/json).")
        try:
            params = json.loads(body or b"{}")
        except ValueError:
            raise ApiError("InvalidParameter", "The request body is not valid JSON.") from None
        if not isinstance(params, dict):
            raise ApiError("InvalidParameter", "The request body must be a JSON object.")
        return params


def _json_response(status: int, payload: dict[str, Any], content_type: str, headers: dict[str, str]) -> httpx.Response:
    content = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return httpx.Response(status, content=content, headers={"Content-Type": content_type, **headers})
