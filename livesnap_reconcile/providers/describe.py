"""What `livesnap providers` shows about a provider's credentials: source, identity, expiry.

Owns turning a provider's credential source into a plain dict for people, with the identity the
vendor reports (STS ``GetCallerIdentity``, one cheap call; on failure its error code instead).
Never a secret or a session token: the key id is masked, identities are ARNs, expiry is ISO UTC.
"""

from __future__ import annotations

import time
from typing import Any

from livesnap_reconcile.errors import ProviderError
from livesnap_reconcile.providers.credentials_common import mask


def describe(provider: Any) -> dict[str, Any]:
    source = getattr(provider, "credential_source", None)
    out: dict[str, Any] = {"provider": provider.name, "vendor": provider.vendor, "endpoint": provider.endpoint}
    if source is None:
        return {**out, "source": "unknown", "identity": "", "caller": "", "caller_error": "", "key_id": "",
                "expires_at": None, "temporary": False}
    creds = source.get()
    expires = creds.expires_at
    caller, caller_error = "", ""
    whoami = getattr(provider, "whoami", None)
    if whoami is not None:
        try:
            caller = whoami()
        except ProviderError as exc:
            caller_error = exc.code or type(exc).__name__
    return {
        **out,
        "source": source.kind,
        "identity": source.identity,
        "caller": caller,
        "caller_error": caller_error,
        "key_id": mask(creds.key_id),
        "temporary": bool(creds.token),
        "expires_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(expires)) if expires is not None else None,
    }
