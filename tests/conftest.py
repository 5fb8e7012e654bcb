"""Fixtures shared by every test layer.

- A suite-wide guard: no test reaches the real network through httpx (metadata probes included).
  A request to a host that is not loopback fails at once with ConnectError, as on a machine
  without that service, so credential chains that probe ECS/CVM metadata skip that source.
- The PostgreSQL cluster (started once per test process, only when a test asks for it) and a
  fresh database or state name on it.
"""

from __future__ import annotations

import uuid

import httpx
import pytest

from livesnap_reconcile.loopback import is_loopback
from tests.pgcluster import Cluster

_real_handle = httpx.HTTPTransport.handle_request


def _loopback_only(self, request: httpx.Request) -> httpx.Response:
    if not is_loopback(request.url.host):
        raise httpx.ConnectError(f"tests never touch the real network ({request.url.host})", request=request)
    return _real_handle(self, request)


@pytest.fixture(autouse=True)
def _no_real_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", _loopback_only)


@pytest.fixture(autouse=True)
def _password_warning_per_test(monkeypatch: pytest.MonkeyPatch) -> None:
    # The CLI warns once per process about a password in a state URL; each test is its own run.
    from livesnap_reconcile.ops import state_select

    monkeypatch.setattr(state_select, "_warned", set())


@pytest.fixture(scope="session")
def pg_cluster():
    cluster = Cluster()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster) -> str:
    """A URL to a state of its own (a fresh ``name``) in the cluster's shared database."""
    return pg_cluster.url(name=f"s-{uuid.uuid4().hex[:12]}")


@pytest.fixture
def pg_empty_db_url(pg_cluster) -> str:
    """A URL to a database of its own, with no livesnap tables yet."""
    return pg_cluster.url(pg_cluster.create_database(), name="newsroom")
