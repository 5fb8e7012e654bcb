"""TC3-HMAC-SHA256 request signing for Tencent Cloud APIs, as an `httpx.Auth`.

Owns: the canonical request, credential scope, string to sign, derived signing key and the
Authorization header of `vendors/tencent-live.md` §2, plus ``X-TC-Timestamp`` and ``X-TC-Token``.
The Host header is taken from the request URL (httpx derives it, with the port when it is not the
default), so a loopback emulator verifies the same value. It must not build bodies or parse replies.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass

import httpx

from livesnap_reconcile.providers.credential_source import CredentialSource, Static
from livesnap_reconcile.providers.credentials_common import Credentials

ALGORITHM = "TC3-HMAC-SHA256"
TOKEN_FAILURE = b'"AuthFailure.TokenFailure"'


@dataclass(frozen=True)
class Signed:
    authorization: str
    canonical_request: str
    string_to_sign: str
    signature: str


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def signing_key(secret_key: str, date: str, service: str) -> bytes:
    k_date = _hmac(("TC3" + secret_key).encode("utf-8"), date)
    k_service = _hmac(k_date, service)
    return _hmac(k_service, "tc3_request")


def utc_date(timestamp: int) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(timestamp))


def sign(
    *,
    secret_id: str,
    secret_key: str,
    service: str,
    timestamp: int,
    method: str,
    headers: Sequence[tuple[str, str]],
    payload: bytes,
    canonical_query: str = "",
) -> Signed:
    """Sign the given headers (at least content-type and host); names and values are lowercased."""
    canon = sorted((name.lower(), value.strip().lower()) for name, value in headers)
    canonical_headers = "".join(f"{n}:{v}\n" for n, v in canon)
    signed_headers = ";".join(n for n, _ in canon)
    canonical_request = "\n".join([
        method.upper(), "/", canonical_query, canonical_headers, signed_headers,
        hashlib.sha256(payload).hexdigest(),
    ])
    date = utc_date(timestamp)
    scope = f"{date}/{service}/tc3_request"
    string_to_sign = "\n".join([
        ALGORITHM, str(timestamp), scope, hashlib.sha256(canonical_request.encode("utf-8")).hexdigest(),
    ])
    signature = hmac.new(signing_key(secret_key, date, service), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    authorization = (
        f"{ALGORITHM} Credential={secret_id}/{scope}, SignedHeaders={signed_headers}, Signature={signature}"
    )
    return Signed(authorization, canonical_request, string_to_sign, signature)


class Tc3Auth(httpx.Auth):
    """Signs ``content-type;host`` like the official SDK; the timestamp comes from ``clock``."""

    requires_request_body = True
    requires_response_body = True  # to see an expired-session answer

    def __init__(
        self,
        credentials: Credentials | CredentialSource,
        *,
        service: str = "live",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._source = Static(credentials) if isinstance(credentials, Credentials) else credentials
        self._service = service
        self._clock = clock

    def __repr__(self) -> str:
        return f"Tc3Auth({self._source!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        creds = self._sign(request)
        response = yield request
        # A session the issuer already considers expired (clock skew): renew once and send again.
        # Safe for writes: the gateway refused the request before the API ran it.
        if creds.token and TOKEN_FAILURE in response.content and self._source.invalidate():
            self._sign(request)
            yield request

    def _sign(self, request: httpx.Request) -> Credentials:
        creds = self._source.get()  # every request: temporary credentials are renewed in time
        timestamp = int(self._clock())
        request.headers["X-TC-Timestamp"] = str(timestamp)
        if creds.token:
            request.headers["X-TC-Token"] = creds.token
        query = request.url.query.decode("ascii") if request.method == "GET" else ""
        signed = sign(
            secret_id=creds.key_id,
            secret_key=creds.secret,
            service=self._service,
            timestamp=timestamp,
            method=request.method,
            headers=[("content-type", request.headers.get("content-type", "")), ("host", request.headers["host"])],
            payload=request.content,
            canonical_query=query,
        )
        request.headers["Authorization"] = signed.authorization
        return creds
