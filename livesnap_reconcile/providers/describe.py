"""What `livesnap providers` shows about a provider's credentials: source, identity, expiry.

Owns turning a provider's credential source into a plain dict for people. Never a secret or a
session token: the key id is masked, a role is named by its ARN, expiry is an ISO UTC time.
"""

from __future__ import annotations

import time
from typing import Any

from livesnap_reconcile.providers.credentials_common import mask


def describe(provider: Any) -> dict[str, Any]:
    source = getattr(provider, "credential_source", None)
    out: dict[str, Any] = {"provider": provider.name, "vendor": provider.vendor, "endpoint": provider.endpoint}
    if source is None:
        return {**out, "source": "unknown", "identity": "", "key_id": "", "expires_at": None, "temporary": False}
    creds = source.get()
    expires = creds.expires_at
    return {
        **out,
        "source": source.kind,
        "identity": source.identity,
        "key_id": mask(creds.key_id),
        "temporary": bool(creds.token),
        "expires_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(expires)) if expires is not None else None,
    }
