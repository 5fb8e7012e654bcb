"""Scrubbing recorded exchanges: STS and metadata answers carry secrets in their *bodies*.

Header filters are not enough for credential calls: ``AccessKeySecret``, ``SecurityToken``,
``TmpSecretKey``, ``Token`` (and the OIDC token a request sends) are replaced before a cassette is
written. Used by every vcrpy recorder of the suite.
"""

from __future__ import annotations

import json
import re
from typing import Any

SECRET_FIELDS = ("AccessKeySecret", "SecurityToken", "TmpSecretKey", "Token", "AccessKeyId", "TmpSecretId")
_FORM_SECRETS = re.compile(r"(OIDCToken|WebIdentityToken)=[^&]*")
MASK = "****"


def _mask(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: (MASK if k in SECRET_FIELDS and isinstance(v, str) else _mask(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    return value


def scrub_text(text: str) -> str:
    try:
        data = json.loads(text)
    except ValueError:
        return _FORM_SECRETS.sub(lambda m: f"{m.group(1)}={MASK}", text)
    if isinstance(data, dict) and isinstance(data.get("WebIdentityToken"), str):
        data["WebIdentityToken"] = MASK
    return json.dumps(_mask(data), ensure_ascii=False)


def scrub_response(response: dict) -> dict:
    body = response.get("body") or {}
    raw = body.get("string")
    if isinstance(raw, bytes):
        body["string"] = scrub_text(raw.decode("utf-8", "replace")).encode("utf-8")
    elif isinstance(raw, str):
        body["string"] = scrub_text(raw)
    return response


def scrub_request(request: Any) -> Any:
    if request.body:
        raw = request.body.decode("utf-8", "replace") if isinstance(request.body, bytes) else str(request.body)
        request.body = scrub_text(raw).encode("utf-8")
    return request
