"""The instance metadata services of the sandbox: ECS (``/latest/.../ram/...``) and CVM (``/.../cam/...``).

Owns: the ECS session token (``PUT /latest/api/token``, required on every ECS metadata read, as on a
hardened instance), the role listing and the role's credentials for both vendors, routed by path so
the same handler serves ``100.100.100.200``, ``metadata.tencentyun.com`` and a loopback port. No
instance role configured (``identity.instance_roles[vendor] = None``) answers 404, like a VM without one.
"""

from __future__ import annotations

import json
import secrets
import threading

import httpx

from livesnap_reconcile.emulator.identity import Identity
from livesnap_reconcile.emulator.sts import alibaba_metadata_credentials, tencent_metadata_credentials

PREFIXES = {"/latest/meta-data/ram/security-credentials/": "alibaba",
            "/latest/meta-data/cam/security-credentials/": "tencent"}
TOKEN_PATH = "/latest/api/token"


def is_metadata(path: str) -> bool:
    return path == TOKEN_PATH or any(path.startswith(p) for p in PREFIXES)


class Metadata:
    def __init__(self, identity: Identity) -> None:
        self.identity = identity
        self._tokens: dict[str, float] = {}
        self._lock = threading.Lock()
        self.reads = 0
        self.require_token = True  # False: an instance that still allows IMDSv1 reads

    def handle(self, request: httpx.Request, *, now: float) -> httpx.Response:
        path = request.url.path
        if path == TOKEN_PATH:
            return self._token(request, now=now)
        prefix = next(p for p in PREFIXES if path.startswith(p))
        vendor = PREFIXES[prefix]
        if request.method != "GET":
            return httpx.Response(405, text="method not allowed")
        if vendor == "alibaba" and self.require_token and not self._valid_token(request.headers.get("x-aliyun-ecs-metadata-token"), now):
            return httpx.Response(401, text="missing or expired X-aliyun-ecs-metadata-token")
        role = self.identity.instance_roles.get(vendor)
        name = path[len(prefix):].strip("/")
        if role is None or (name and name != role):
            return httpx.Response(404, text="not found")
        if not name:
            return httpx.Response(200, text=role)
        with self._lock:
            self.reads += 1
        key = self.identity.issue(vendor, f"instance-role/{role}", "instance", 3600)
        body = (alibaba_metadata_credentials(key, now=now) if vendor == "alibaba"
                else tencent_metadata_credentials(key, now=now))
        return httpx.Response(200, content=json.dumps(body).encode(), headers={"Content-Type": "text/plain"})

    def _token(self, request: httpx.Request, *, now: float) -> httpx.Response:
        if request.method != "PUT":
            return httpx.Response(405, text="method not allowed")
        try:
            ttl = int(request.headers.get("x-aliyun-ecs-metadata-token-ttl-seconds", ""))
        except ValueError:
            return httpx.Response(400, text="X-aliyun-ecs-metadata-token-ttl-seconds is required")
        if not 1 <= ttl <= 21600:
            return httpx.Response(400, text="ttl out of range")
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[token] = now + ttl
        return httpx.Response(200, text=token)

    def _valid_token(self, token: str | None, now: float) -> bool:
        with self._lock:
            return bool(token) and self._tokens.get(token or "", 0) > now
