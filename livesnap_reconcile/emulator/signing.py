"""Independent verifiers of the two vendor signatures: ACS3-HMAC-SHA256 (ICE) and TC3-HMAC-SHA256.

The canonical request is rebuilt from what the client says it signed (its SignedHeaders list) and
from the bytes received, never from a fixed header list, so any conforming client verifies. This
module computes and compares signatures only; it does not import any client-side signer.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import re
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import parse_qsl, quote

from livesnap_reconcile.emulator.wire import ApiError

ACS3 = "ACS3-HMAC-SHA256"
TC3 = "TC3-HMAC-SHA256"
ACS_SKEW = 15 * 60
TC_SKEW = 300
ACS_REQUIRED = ("host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce",
                "x-acs-content-sha256")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


# -- ACS3 (Alibaba) -------------------------------------------------------------------------------

def acs3_canonical_query(pairs: Iterable[tuple[str, str]]) -> str:
    items = sorted(pairs, key=lambda kv: kv[0])
    return "&".join(f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in items)


def acs3_canonical_request(method: str, path: str, *, query: str, headers: Mapping[str, Sequence[str]],
                           signed: Sequence[str], payload_hash: str) -> str:
    lines = "".join(f"{name}:{','.join(sorted(v.strip() for v in headers.get(name, ())))}\n"
                    for name in signed)
    return f"{method}\n{path or '/'}\n{query}\n{lines}\n{';'.join(signed)}\n{payload_hash}"


def acs3_signature(secret: str, canonical_request: str) -> str:
    to_sign = f"{ACS3}\n{sha256_hex(canonical_request.encode('utf-8'))}"
    return hmac.new(secret.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


_ACS_AUTH = re.compile(r"^(\S+) Credential=([^,]*),SignedHeaders=([^,]*),Signature=([0-9a-fA-F]*)$")


class NonceCache:
    """Nonces seen within the skew window; older ones cannot be replayed (their date is expired)."""

    def __init__(self) -> None:
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def check_and_add(self, nonce: str, *, now: float) -> bool:
        with self._lock:
            if len(self._seen) > 10_000:
                self._seen = {n: t for n, t in self._seen.items() if t > now - 2 * ACS_SKEW}
            if nonce in self._seen:
                return False
            self._seen[nonce] = now
            return True


def _grouped(items: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in items:
        out.setdefault(k.lower(), []).append(v)
    return out


def verify_acs3(*, method: str, path: str, raw_query: str, header_items: Iterable[tuple[str, str]],
                body: bytes, secrets: Mapping[str, str], now: float, nonces: NonceCache) -> str:
    """Check an ICE request's signature; return the access key id or raise the POP gateway's error."""
    headers = _grouped(header_items)
    auth = (headers.get("authorization") or [""])[0].strip()
    if not auth:
        raise ApiError("MissingParameter", "The Authorization header is required.")
    m = _ACS_AUTH.match(auth)
    if not m:
        raise ApiError("IncompleteSignature", "The Authorization header is malformed.")
    algorithm, key_id, signed_text, signature = m.groups()
    if algorithm != ACS3:
        raise ApiError("SignatureDoesNotMatch", f"Unsupported signature algorithm {algorithm}.")
    signed = [h.strip().lower() for h in signed_text.split(";") if h.strip()]
    for name in ACS_REQUIRED:
        if name not in headers:
            raise ApiError("MissingParameter", f"The header {name} is required.")
        if name not in signed:
            raise ApiError("SignatureDoesNotMatch", f"The header {name} must be signed.")
    if key_id not in secrets:
        raise ApiError("InvalidAccessKeyId.NotFound", "Specified access key is not found.")
    try:
        sent_at = float(calendar.timegm(time.strptime(headers["x-acs-date"][0], "%Y-%m-%dT%H:%M:%SZ")))
    except ValueError:
        raise ApiError("InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.") from None
    if abs(now - sent_at) > ACS_SKEW:
        raise ApiError("InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
    payload_hash = headers["x-acs-content-sha256"][0].strip()
    if payload_hash != sha256_hex(body):
        raise ApiError("SignatureDoesNotMatch", "x-acs-content-sha256 does not match the request body.")
    query = acs3_canonical_query(parse_qsl(raw_query, keep_blank_values=True))
    canonical = acs3_canonical_request(method, path, query=query, headers=headers, signed=signed,
                                       payload_hash=payload_hash)
    expected = acs3_signature(secrets[key_id], canonical)
    if not hmac.compare_digest(expected, signature.lower()):
        raise ApiError("SignatureDoesNotMatch", "Specified signature is not matched with our calculation.")
    if not nonces.check_and_add(headers["x-acs-signature-nonce"][0].strip(), now=now):
        raise ApiError("SignatureNonceUsed", "Specified signature nonce was used already.")
    return key_id


# -- TC3 (Tencent) --------------------------------------------------------------------------------

def tc3_canonical_request(method: str, *, query: str, headers: Mapping[str, Sequence[str]],
                          signed: Sequence[str], payload_hash: str, path: str = "/") -> str:
    lines = "".join(f"{name}:{','.join(v.strip().lower() for v in headers.get(name, ()))}\n" for name in signed)
    return f"{method}\n{path or '/'}\n{query}\n{lines}\n{';'.join(signed)}\n{payload_hash}"


def tc3_signature(secret_key: str, *, service: str, timestamp: int, canonical_request: str) -> str:
    date = time.strftime("%Y-%m-%d", time.gmtime(timestamp))
    scope = f"{date}/{service}/tc3_request"
    to_sign = f"{TC3}\n{timestamp}\n{scope}\n{sha256_hex(canonical_request.encode('utf-8'))}"
    k_date = _hmac(("TC3" + secret_key).encode("utf-8"), date)
    k_signing = _hmac(_hmac(k_date, service), "tc3_request")
    return hmac.new(k_signing, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


_TC_AUTH = re.compile(r"^TC3-HMAC-SHA256\s+Credential=([^/,\s]+)/(\d{4}-\d{2}-\d{2})/([^/,\s]+)/tc3_request,\s*"
                      r"SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)$")


def verify_tc3(*, method: str, raw_query: str, header_items: Iterable[tuple[str, str]], body: bytes,
               secrets: Mapping[str, str], now: float, service: str = "live") -> str:
    """Check a Tencent request's signature; return the SecretId or raise the `AuthFailure.*` error."""
    headers = _grouped(header_items)
    auth = (headers.get("authorization") or [""])[0].strip()
    m = _TC_AUTH.match(auth)
    if not m:
        raise ApiError("AuthFailure.InvalidAuthorization", "Authorization header is missing or malformed.")
    secret_id, date, svc, signed_text, signature = m.groups()
    if secret_id not in secrets:
        raise ApiError("AuthFailure.SecretIdNotFound", "The SecretId is not found.")
    try:
        ts = int((headers.get("x-tc-timestamp") or [""])[0].strip())
    except ValueError:
        raise ApiError("AuthFailure.InvalidAuthorization", "X-TC-Timestamp is missing or not an integer.") from None
    if abs(now - ts) > TC_SKEW:
        raise ApiError("AuthFailure.SignatureExpire", "Signature expired: the request timestamp is more than 300s off.")
    if svc != service or date != time.strftime("%Y-%m-%d", time.gmtime(ts)):
        raise ApiError("AuthFailure.SignatureFailure", "The credential scope does not match the request.")
    signed = [h.strip().lower() for h in signed_text.split(";") if h.strip()]
    if "content-type" not in signed or "host" not in signed or signed != sorted(signed):
        raise ApiError("AuthFailure.SignatureFailure", "SignedHeaders must be sorted and include content-type and host.")
    unsigned = (headers.get("x-tc-content-sha256") or [""])[0].strip() == "UNSIGNED-PAYLOAD"
    payload_hash = sha256_hex(b"UNSIGNED-PAYLOAD" if unsigned else body)
    canonical = tc3_canonical_request(method, query=raw_query, headers=headers, signed=signed,
                                      payload_hash=payload_hash)
    expected = tc3_signature(secrets[secret_id], service=svc, timestamp=ts, canonical_request=canonical)
    if not hmac.compare_digest(expected, signature.lower()):
        raise ApiError("AuthFailure.SignatureFailure", "The provided credentials could not be validated.")
    return secret_id
