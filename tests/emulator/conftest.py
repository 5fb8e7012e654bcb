"""Shared fixtures: a business clock frozen at a fixed instant, an emulator without default rate
limits (tests that exercise limits configure them), and a signing in-process caller."""

from __future__ import annotations

import pytest

from livesnap_reconcile.emulator import Clock, Emulator, Faults
from tests.emulator.helpers import Caller

NOW = 1_795_568_400  # 2026-11-25T01:00:00Z


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def emu(clock: Clock) -> Emulator:
    return Emulator(clock=clock, faults=Faults(default_limits=False))


@pytest.fixture
def caller(emu: Emulator) -> Caller:
    return Caller(emu)
