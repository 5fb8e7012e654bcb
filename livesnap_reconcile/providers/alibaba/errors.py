"""ICE error envelopes mapped once into the livesnap error tree.

Owns: reading an ICE error response (JSON ``{RequestId, Code, Message, ...}`` with a 4xx/5xx status,
optional ``x-acs-retry-after`` in milliseconds) and choosing the error class. It must not retry or
decide what a caller does with the error; messages carry code, truncated message and RequestId only.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from livesnap_reconcile.errors import AuthError, Invalid, NotFound, ProviderError, Throttled, Unavailable
from livesnap_reconcile.providers.http import truncate

_AUTH_PREFIXES = (
    "SignatureDoesNotMatch", "SignatureNonceUsed", "InvalidTimeStamp", "InvalidAccessKeyId",
    "InvalidSecurityToken", "InvalidCredentials", "Forbidden", "UserDisable", "OperationDenied",
    "NoPermission", "IncompleteSignature", "MissingSecurityToken",
)
_NOT_FOUND = ("JobNotFound", "TemplateNotFound")
# Quota codes, with what the limit is in words (ICE live-snapshot user guide).
LIMIT_HINTS = {"JobLimitExceeded": "ICE allows 100 concurrent snapshot jobs per account; stop unused ones"}


def _retry_after(headers: httpx.Headers) -> float | None:
    raw = headers.get("x-acs-retry-after")
    try:
        value = int(raw) if raw is not None else 0
    except ValueError:
        return None
    return value / 1000.0 if value > 0 else None


def _fields(response: httpx.Response) -> tuple[str, str, str]:
    try:
        data = json.loads(response.content or b"{}")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return "", truncate(response.text or f"HTTP {response.status_code}"), ""
    code = str(data.get("Code") or data.get("code") or "")
    message = str(data.get("Message") or data.get("message") or "")
    request_id = str(data.get("RequestId") or data.get("requestId") or "")
    return code, truncate(message), request_id


def map_error(response: httpx.Response, *, provider: str, action: str) -> ProviderError:
    """The error for a non-2xx ICE response."""
    status = response.status_code
    code, message, request_id = _fields(response)
    text = f"{action} failed: HTTP {status} {code}: {message}".rstrip(": ")
    if code in LIMIT_HINTS:
        text = f"{action} failed: {LIMIT_HINTS[code]} (HTTP {status} {code}: {message})"
    kw: dict[str, Any] = {"provider": provider, "code": code, "request_id": request_id, "status": status}
    retry_after = _retry_after(response.headers)
    if retry_after is not None or code.startswith("Throttling") or status == 429:
        return Throttled(text, retry_after=retry_after, **kw)
    if status >= 500 or code.startswith(("InternalError", "ServiceUnavailable")):
        return Unavailable(text, **kw)
    if code.startswith(_AUTH_PREFIXES) or status in (401, 403):
        return AuthError(text, **kw)
    if code in _NOT_FOUND or (status == 404 and not code.startswith("Invalid")):
        return NotFound(text, **kw)
    return Invalid(text, **kw)
