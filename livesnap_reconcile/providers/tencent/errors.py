"""Tencent Cloud error envelopes mapped once into the livesnap error tree.

Owns: ``{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`` (sent with HTTP 200) and non-200
replies, mapped by code. It must not retry; messages carry code, truncated message and RequestId only,
plus a plain-words hint for the documented quota codes.

Tencent files business errors under ``InternalError.*`` and ``FailedOperation.*`` too (the 50-template
limit is ``InternalError.ConfOutLimit``), so those two families are classified code by code: every code
the Live SDK's ``errorcodes.py`` lists in them is named below as retryable or permanent, and a test
checks that over the whole list. An undocumented ``InternalError.*`` stays retryable (the family's
meaning); an undocumented ``FailedOperation.*`` is permanent.
"""

from __future__ import annotations

from livesnap_reconcile.errors import AuthError, Invalid, NotFound, ProviderError, Throttled, Unavailable
from livesnap_reconcile.providers.http import truncate

# Documented codes that describe a server-side fault: the same request may succeed later.
TRANSIENT: frozenset[str] = frozenset({
    "InternalError", "InternalError.CallOtherSvrError", "InternalError.ConnectDbError",
    "InternalError.DBError", "InternalError.DomainGslbFail", "InternalError.GetBizidError",
    "InternalError.GetConfigError", "InternalError.GetStreamInfoError", "InternalError.GetUpstreamInfoError",
    "InternalError.GetWatermarkError", "InternalError.JiFeiOtherError", "InternalError.NetworkError",
    "InternalError.QueryProIspPlayInfoError", "InternalError.QueryUploadInfoFailed",
    "InternalError.SystemError", "InternalError.UpdateDataError", "InternalError.WatermarkAddError",
    "InternalError.WatermarkEditError",
    "FailedOperation.CallOtherSvrError", "FailedOperation.CallOtherSvrFailed",
    "FailedOperation.ConfigCDNFailed", "FailedOperation.DatabaseNotAccessible",
    "FailedOperation.DomainGslbFail", "FailedOperation.GetDataFailed", "FailedOperation.InvokeCdnApiFail",
    "FailedOperation.InvokeVideoApiFail", "FailedOperation.NetworkError",
    "FailedOperation.QueryUploadInfoFailed", "FailedOperation.RelateServerNotAccessible",
    "FailedOperation.ResourceNotEnough",
})

# Documented codes in the retryable families that are answers about the request or the account, not
# faults:
# retrying them only repeats the refusal (and turns a refused create into "outcome unknown").
BUSINESS: frozenset[str] = frozenset({
    "InternalError.ArgsNotMatch", "InternalError.ChineseCharacterDetected", "InternalError.ConfInUsed",
    "InternalError.ConfOutLimit", "InternalError.ConfigNotExist", "InternalError.CrtDateInUsing",
    "InternalError.CrtDateNotFound", "InternalError.CrtDateNotLegal", "InternalError.CrtDateOverdue",
    "InternalError.CrtDomainNotFound", "InternalError.CrtKeyNotMatch", "InternalError.DomainAlreadyExist",
    "InternalError.DomainFormatError", "InternalError.DomainIsFamous", "InternalError.DomainIsLimited",
    "InternalError.DomainNoRecord", "InternalError.DomainNotExist", "InternalError.DomainTooLong",
    "InternalError.HasNotLivingStream", "InternalError.InvalidInput", "InternalError.InvalidRequest",
    "InternalError.InvalidUser", "InternalError.NotPermmitOperat", "InternalError.PlayDomainNoRecord",
    "InternalError.ProcessorAlreadyExist", "InternalError.PushDomainNoRecord",
    "InternalError.RuleAlreadyExist", "InternalError.RuleInUsing", "InternalError.RuleOutLimit",
    "InternalError.StreamStatusError", "InternalError.WatermarkNotExist",
    "ResourceUnavailable.InvalidVodStatus", "ResourceUnavailable.StreamNotExist",
    # Answers meaning "no such object": NotFound, so a delete of it is already done.
    "InternalError.NotFound", "InternalError.ConfNotFound", "InternalError.RuleNotFound",
})

# Quota codes, with what the limit is in words (Tencent Live snapshot docs).
LIMIT_HINTS: dict[str, str] = {
    "InternalError.ConfOutLimit": "Tencent allows 50 snapshot templates per account; delete unused ones",
    "InternalError.RuleOutLimit": "Tencent's limit on snapshot rules is reached; delete unused ones",
    "LimitExceeded.MaximumTask": "Tencent's daily limit on created screenshot tasks is reached; retry tomorrow",
    "LimitExceeded.MaximumRunningTask": "Tencent's limit on concurrent screenshot tasks is reached",
    "InvalidParameter.TaskNumMoreThanLimit": "Tencent's limit on screenshot tasks is reached",
}

# Checked in order after the tables above: the first matching prefix wins.
_RULES: tuple[tuple[str, type[ProviderError]], ...] = (
    ("RequestLimitExceeded", Throttled),
    ("LimitExceeded.RateLimitExceeded", Throttled),
    ("AuthFailure", AuthError),
    ("UnauthorizedOperation", AuthError),
    ("FailedOperation.AuthError", AuthError),
    ("FailedOperation.NoProjectPermission", AuthError),
    ("FailedOperation.OutOfService", AuthError),
    ("ResourceNotFound.ForbidService", AuthError),
    ("ResourceNotFound.FreezeService", AuthError),
    ("ResourceNotFound.StopService", AuthError),
    ("ResourceNotFound.UserDisableService", AuthError),
    ("ResourceNotFound", NotFound),
    ("InvalidParameter.TaskNotExist", NotFound),
    ("FailedOperation.NotFound", NotFound),
    ("InternalError.NotFound", NotFound),
    ("InternalError.ConfNotFound", NotFound),
    ("InternalError.RuleNotFound", NotFound),
    ("InternalError", Unavailable),
    ("ServiceUnavailable", Unavailable),
    ("ResourceUnavailable", Unavailable),
)


def error_class(code: str) -> type[ProviderError]:
    if code in TRANSIENT:
        return Unavailable
    for prefix, cls in _RULES:
        if code == prefix or code.startswith(prefix + "."):
            if cls is Unavailable and code in BUSINESS:
                return Invalid
            return cls
    return Invalid


def map_error(code: str, message: str, request_id: str, *, provider: str, action: str, status: int = 200) -> ProviderError:
    cls = error_class(code)
    hint = LIMIT_HINTS.get(code)
    detail = f"{code}: {truncate(message)}"
    text = f"{action} failed: {hint} ({detail})" if hint else f"{action} failed: {detail}"
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
