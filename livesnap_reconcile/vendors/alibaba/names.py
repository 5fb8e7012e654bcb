"""ICE job addresses and JobNames: ``job.<stream>.<snapshot>``, ``ls/<namespace>/<stream>/<snapshot>/<digest>``.

The digest covers the job's immutable fields, so a changed job gets a new name and the old one,
which ICE cannot delete, stays recognisable as its stopped predecessor. Pure.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from json.encoder import encode_basestring
from typing import Any

from livesnap_reconcile.core.names import manifest_template_ref
from livesnap_reconcile.vendors.alibaba.jobname import job_name_prefix

DIGEST_LENGTH = 8
# What json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False) uses, built once:
# dumps builds a new encoder per call when given options, and a fleet digests every job.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_quote = encode_basestring  # how that encoder spells a string (ensure_ascii=False)


def job_address(stream: str, snapshot: str) -> str:
    return f"job.{stream}.{snapshot}"


def job_digest(*, rtmp_url: str, output: Mapping[str, Any], template: Any, callback_url: str | None) -> str:
    """First 8 hex chars of sha256 over canonical JSON of the job's immutable fields.

    Canonical JSON: sorted keys, no whitespace, UTF-8. ``template`` is the manifest reference
    (template *name* or ``{"id"}``), not a remote id, so the name is known before apply.
    """
    ref = manifest_template_ref(template)
    bucket, endpoint = output["bucket"], output["endpoint"]
    if all(isinstance(v, str) for v in (rtmp_url, bucket, endpoint, ref if isinstance(ref, str) else ref["id"])) \
            and (callback_url is None or isinstance(callback_url, str)):
        # The same text, spelt directly: the encoder's generic walk was a tenth of expanding a fleet.
        spelt_ref = _quote(ref) if isinstance(ref, str) else '{"id":' + _quote(ref["id"]) + "}"
        canonical = (f'{{"callback_url":{"null" if callback_url is None else _quote(callback_url)},'
                     f'"output":{{"bucket":{_quote(bucket)},"endpoint":{_quote(endpoint)}}},'
                     f'"rtmp_url":{_quote(rtmp_url)},"template":{spelt_ref}}}')
    else:
        canonical = _CANONICAL.encode({"callback_url": callback_url, "output": {"bucket": bucket, "endpoint": endpoint},
                                       "rtmp_url": rtmp_url, "template": ref})
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


def job_name(
    namespace: str,
    stream: str,
    snapshot: str,
    *,
    rtmp_url: str,
    output: Mapping[str, Any],
    template: Any,
    callback_url: str | None,
) -> str:
    """``ls/<namespace>/<stream>/<snapshot>/<digest>``."""
    digest = job_digest(rtmp_url=rtmp_url, output=output, template=template, callback_url=callback_url)
    return f"{job_name_prefix(namespace)}{stream}/{snapshot}/{digest}"
