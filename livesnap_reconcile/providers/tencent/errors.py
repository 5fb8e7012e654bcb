"""Tencent Cloud error envelopes mapped once into the livesnap error tree.

Owns: ``{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`` (sent with HTTP 200) and non-200
replies, mapped by code prefix. It must not retry; messages carry code, truncated message and
RequestId only.
"""

from __future__ import annotations

from livesnap_reconcile.errors import AuthError, Invalid, NotFound, ProviderError, Throttled, Unavailable
from livesnap_reconcile.providers.http import truncate

# Checked in order: the first matching prefix wins, so specific codes come before families.
_RULES: tuple[tuple[str, type[ProviderError]], ...] = (
    ("RequestLimitExceeded", Throttled),
    ("LimitExceeded.RateLimitExceeded", Throttled),
    ("AuthFailure", AuthError),
    ("UnauthorizedOperation", AuthError),
    ("ResourceNotFound.ForbidService", AuthError),
    ("ResourceNotFound.FreezeService", AuthError),
    ("ResourceNotFound.StopService", AuthError),
    ("ResourceNotFound.UserDisableService", AuthError),
    ("ResourceNotFound", NotFound),
    ("InvalidParameter.TaskNotExist", NotFound),
    ("FailedOperation.NotFound", NotFound),
    ("InternalError.NotFound", NotFound),
    ("InternalError.ConfNotFound", NotFound),
    ("InternalError", Unavailable),
    ("ServiceUnavailable", Unavailable),
    ("ResourceUnavailable", Unavailable),
)


def error_class(code: str) -> type[ProviderError]:
    for prefix, cls in _RULES:
        if code == prefix or code.startswith(prefix + "."):
            return cls
    return Invalid


def map_error(code: str, message: str, request_id: str, *, provider: str, action: str, status: int = 200) -> ProviderError:
    cls = error_class(code)
    text = f"{action} failed: {code}: {truncate(message)}"
    return cls(text, provider=provider, code=code, request_id=request_id, status=status)


def map_http_status(status: int, body: str, *, provider: str, action: str) -> ProviderError:
    """A non-200 reply (gateways, proxies): not a coded vendor error."""
    text = f"{action} failed: HTTP {status}: {truncate(body)}"
    if status == 429:
        return Throttled(text, provider=provider, status=status)
    if status >= 500:
        return Unavailable(text, provider=provider, status=status)
    if status in (401, 403):
        return AuthError(text, provider=provider, status=status)
    return Invalid(text, provider=provider, status=status)
