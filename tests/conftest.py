"""Suite-wide guard: no test reaches the real network through httpx (metadata probes included).

A request to a host that is not loopback fails at once with ConnectError, as on a machine without
that service, so credential chains that probe ECS/CVM metadata skip that source instantly.
"""

from __future__ import annotations

import httpx
import pytest

from livesnap_reconcile.loopback import is_loopback

_real_handle = httpx.HTTPTransport.handle_request


def _loopback_only(self, request: httpx.Request) -> httpx.Response:
    if not is_loopback(request.url.host):
        raise httpx.ConnectError(f"tests never touch the real network ({request.url.host})", request=request)
    return _real_handle(self, request)


@pytest.fixture(autouse=True)
def _no_real_network(monkeypatch):
    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", _loopback_only)
