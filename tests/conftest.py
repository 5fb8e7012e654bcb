"""Fixtures shared by every test layer: the PostgreSQL cluster (started once per test process,
only when a test asks for it) and a fresh database or state name on it."""

from __future__ import annotations

import uuid

import pytest

from tests.pgcluster import Cluster


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
