"""Which hosts count as loopback: the one place plain http may carry a signed request.

Shared by the manifest validator (an `endpoint:` must be https unless loopback) and the
providers (which refuse to send otherwise), so both layers agree without importing each other.
"""

from __future__ import annotations

import ipaddress


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1, ``localhost`` and ``*.localhost`` (RFC 6761)."""
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
