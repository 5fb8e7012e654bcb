"""ACS3-HMAC-SHA256 request signing for Alibaba Cloud RPC APIs (ICE), as an `httpx.Auth`.

Owns: the canonical request, string to sign and Authorization header of `vendors/alibaba-ice.md`
§4, and the per-request headers that go with them (date, nonce, payload hash, STS token). The
Host header is taken from the request URL (httpx derives it), so a loopback emulator verifies the
same value. It must not build bodies or interpret responses.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

import httpx

from livesnap_reconcile.providers.credential_source import CredentialSource, Static
from livesnap_reconcile.providers.credentials_common import Credentials

ALGORITHM = "ACS3-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
EXPIRED = b"InvalidSecurityToken.Expired"


@dataclass(frozen=True)
class Signed:
    authorization: str
    canonical_request: str
    string_to_sign: str
    signed_headers: str


def canonical_query(params: Iterable[tuple[str, str]]) -> str:
    """Sorted ``k=v`` pairs, values percent-encoded RFC 3986 style (space is %20, ``~`` kept)."""
    pairs = sorted((k, v) for k, v in params if v is not None)
    return "&".join(f"{k}={quote(str(v), safe='~')}" for k, v in pairs)


def sign(
    *,
    method: str,
    query: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    payload_hash: str,
    key_id: str,
    secret: str,
    path: str = "/",
) -> Signed:
    """Sign exactly the given headers (names are lowercased, values trimmed)."""
    canon = {k.lower(): str(v).strip() for k, v in headers.items()}
    names = sorted(canon)
    canonical_headers = "".join(f"{n}:{canon[n]}\n" for n in names)
    signed_headers = ";".join(names)
    canonical_request = "\n".join(
        [method.upper(), path or "/", canonical_query(query), canonical_headers, signed_headers, payload_hash]
    )
    string_to_sign = f"{ALGORITHM}\n{hashlib.sha256(canonical_request.encode('utf-8')).hexdigest()}"
    signature = hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    authorization = f"{ALGORITHM} Credential={key_id},SignedHeaders={signed_headers},Signature={signature}"
    return Signed(authorization, canonical_request, string_to_sign, signed_headers)


def iso_date(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _is_signed(name: str) -> bool:
    return name in ("host", "content-type") or name.startswith("x-acs-")


class Acs3Auth(httpx.Auth):
    """Adds date, nonce, payload hash, STS headers and the Authorization header to each request."""

    requires_request_body = True
    requires_response_body = True  # to see an expired-session answer

    def __init__(
        self,
        credentials: Credentials | CredentialSource,
        *,
        clock: Callable[[], float] = time.time,
        nonce: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        self._source = Static(credentials) if isinstance(credentials, Credentials) else credentials
        self._clock = clock
        self._nonce = nonce

    def __repr__(self) -> str:
        return f"Acs3Auth({self._source!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        creds = self._sign(request)
        response = yield request
        # A session the issuer already considers expired (clock skew): renew once and send again.
        # Safe for writes: the gateway refused the request before the API ran it.
        if creds.token and response.status_code in (400, 401, 403) and EXPIRED in response.content:
            if self._source.invalidate():
                self._sign(request)
                yield request

    def _sign(self, request: httpx.Request) -> Credentials:
        creds = self._source.get()  # every request: temporary credentials are renewed in time
        body = request.content
        payload_hash = hashlib.sha256(body).hexdigest()
        request.headers["x-acs-date"] = iso_date(self._clock())
        request.headers["x-acs-signature-nonce"] = self._nonce()
        request.headers["x-acs-content-sha256"] = payload_hash
        if creds.token:
            request.headers["x-acs-accesskey-id"] = creds.key_id
            request.headers["x-acs-security-token"] = creds.token
        headers = {k: v for k, v in request.headers.items() if _is_signed(k.lower())}
        signed = sign(
            method=request.method,
            path=request.url.path or "/",
            query=request.url.params.multi_items(),
            headers=headers,
            payload_hash=payload_hash,
            key_id=creds.key_id,
            secret=creds.secret,
        )
        request.headers["Authorization"] = signed.authorization
        return creds
