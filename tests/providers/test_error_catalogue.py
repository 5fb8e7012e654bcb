"""Every documented error code of both vendors is classified on purpose: retryable or permanent.

The Tencent list is the Live SDK's own ``errorcodes.py`` (a test dependency); the ICE list is the
live-snapshot operations' error table plus the POP gateway codes (docs/vendor-behaviour.md). A
business error (a quota, a conflict, a bad argument) must never be retried, and above all never turn
a refused create into "outcome unknown" followed by find-and-recreate.
"""

from __future__ import annotations

import pytest
from tencentcloud.live.v20180801 import errorcodes

from livesnap_reconcile.errors import (
    AuthError,
    Invalid,
    NotFound,
    Permanent,
    Retryable,
    Throttled,
    Unavailable,
)
from livesnap_reconcile.providers.alibaba.errors import map_error as ice_map
from livesnap_reconcile.providers.tencent.errors import BUSINESS, TRANSIENT, error_class
from tests.providers.fakes import ice_error, tc_error, tencent

SDK_CODES = sorted({v for k, v in vars(errorcodes).items() if k.isupper() and isinstance(v, str)})
NAMED_BUSINESS = ("InternalError.ConfOutLimit", "InternalError.ConfInUsed", "InternalError.InvalidInput",
                  "InternalError.ArgsNotMatch", "InternalError.RuleAlreadyExist", "InternalError.RuleNotFound")
RETRYABLE_FAMILIES = ("RequestLimitExceeded", "LimitExceeded.RateLimitExceeded", "ServiceUnavailable",
                      "ResourceUnavailable")
TEMPLATE = {"name": "ns-a", "interval": 10, "width": 0, "height": 0, "porn_flag": 0, "cos_app_id": 1,
            "cos_bucket": "b", "cos_region": "ap-guangzhou", "description": ""}


def test_the_sdk_list_is_the_one_we_classified():
    assert len(SDK_CODES) >= 240 and "InternalError.ConfOutLimit" in SDK_CODES


@pytest.mark.parametrize("code", [c for c in SDK_CODES if c.startswith("InternalError")])
def test_every_documented_internal_error_is_named_as_transient_or_business(code):
    # The family is both server faults and business answers, so no family default may decide.
    assert (code in TRANSIENT) != (code in BUSINESS)


@pytest.mark.parametrize("code", SDK_CODES)
def test_only_listed_transient_codes_are_retried(code):
    cls = error_class(code)
    family = code == "InternalError" or code.startswith(tuple(f + "." for f in RETRYABLE_FAMILIES)) \
        or code in RETRYABLE_FAMILIES
    expected_retryable = code in TRANSIENT or (family and code not in BUSINESS)
    assert issubclass(cls, Retryable) is expected_retryable, (code, cls)
    assert issubclass(cls, Permanent) is not expected_retryable


def test_the_transient_and_business_tables_hold_only_documented_codes():
    assert set(TRANSIENT) <= set(SDK_CODES)
    assert set(BUSINESS) <= set(SDK_CODES)


@pytest.mark.parametrize("code", NAMED_BUSINESS)
def test_the_business_errors_of_the_audit_are_permanent(code):
    assert issubclass(error_class(code), Permanent)


def test_missing_objects_are_not_found_so_a_delete_of_them_is_done():
    for code in ("InternalError.NotFound", "InternalError.ConfNotFound", "InternalError.RuleNotFound"):
        assert error_class(code) is NotFound


def test_the_51st_template_is_refused_once_with_the_limit_in_words():
    provider = tencent(lambda r: tc_error("InternalError.ConfOutLimit", "template count over limit"))
    with pytest.raises(Invalid) as info:
        provider.create("template", TEMPLATE)
    assert provider.requests["CreateLiveSnapshotTemplate"] == 1
    assert "Tencent allows 50 snapshot templates" in str(info.value)
    assert "InternalError.ConfOutLimit" in str(info.value) and "req-tc-1" in str(info.value)


# The live-snapshot operations' documented errors, and the POP gateway's (alibaba-ice notes §3).
ICE_CODES = [
    (400, "MissingParameter", Invalid), (400, "InvalidParameter", Invalid), (403, "UserDisable", AuthError),
    (403, "Forbidden", AuthError), (403, "OperationDenied", AuthError), (404, "TemplateNotFound", NotFound),
    (404, "JobNotFound", NotFound), (409, "JobAlreadyStarted", Invalid), (400, "JobLimitExceeded", Invalid),
    (400, "StreamNotFound", Invalid), (500, "InternalError", Unavailable), (400, "MalformedStartTime", Invalid),
    (400, "MalformedEndTime", Invalid), (400, "EndTimeMismatch", Invalid), (400, "Throttling.User", Throttled),
    (400, "SignatureDoesNotMatch", AuthError), (400, "SignatureNonceUsed", AuthError),
    (400, "InvalidTimeStamp.Expired", AuthError), (400, "InvalidTimeStamp.Format", AuthError),
    (400, "InvalidAccessKeyId.NotFound", AuthError), (404, "InvalidAccessKeyId.NotFound", AuthError),
    (404, "InvalidApi.NotFound", Invalid), (404, "InvalidProduct.NotFound", Invalid),
    (503, "ServiceUnavailable", Unavailable),
]


@pytest.mark.parametrize(("status", "code", "cls"), ICE_CODES)
def test_every_documented_ice_code_is_classified(status, code, cls):
    err = ice_map(ice_error(status, code), provider="ice", action="SendLiveSnapshotJobCommand")
    assert type(err) is cls


def test_the_ice_job_limit_is_named_in_words():
    err = ice_map(ice_error(400, "JobLimitExceeded", "Job limit exceeded."), provider="ice",
                  action="SendLiveSnapshotJobCommand")
    assert "ICE allows 100 concurrent snapshot jobs" in str(err) and "JobLimitExceeded" in str(err)
