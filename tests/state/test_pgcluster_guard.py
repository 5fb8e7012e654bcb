"""The guard of the PostgreSQL test fixture: without server binaries the tests skip loudly,
except under CI=true, where they fail (they must never silently stop running)."""

from __future__ import annotations

import pytest

from tests.pgcluster import unavailable


def test_missing_binaries_skip_locally(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="PostgreSQL tests NOT RUN"):
        unavailable("no initdb")


def test_missing_binaries_fail_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        unavailable("no initdb")
