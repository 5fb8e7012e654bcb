"""Fixtures wiring providers to the sandbox emulator, in-process and over loopback.

The emulator's business clock, its signature-skew clock and its rate-limit timer all read one
fake clock that the provider's `sleep` advances, so pacing and throttling run instantly.
"""

from __future__ import annotations

import pytest

from livesnap_reconcile.emulator import SANDBOX_KEYS, Clock, Emulator, Faults, serve
from livesnap_reconcile.providers import SANDBOX_ENDPOINT, make_provider
from livesnap_reconcile.resources import ProviderConfig

T0 = 1_767_225_600  # 2026-01-01T00:00:00Z


class Sandbox:
    def __init__(self, *, faults: Faults | None = None, loopback: bool = False) -> None:
        self.clock = Clock(now=T0)
        self.emu = Emulator(clock=self.clock, faults=faults or Faults(rps=0), seed=0,
                            auth_clock=self.clock.now, timer=self.clock.now, sleep=self.sleep)
        self.server = serve(self.emu, host="127.0.0.1", port=0) if loopback else None

    def sleep(self, seconds: float) -> None:
        self.clock.advance(seconds)

    def provider(self, vendor: str, **kw):
        name = "ice" if vendor == "alibaba" else "css"
        region = "cn-shanghai" if vendor == "alibaba" else "ap-guangzhou"
        config = ProviderConfig(name=name, vendor=vendor, region=region, max_rps=kw.pop("max_rps", 1e6))
        key_id, secret = SANDBOX_KEYS[vendor]
        if self.server is not None:
            kw.setdefault("endpoint", self.server.url)
        else:
            kw.setdefault("endpoint", SANDBOX_ENDPOINT)
            kw.setdefault("transport", self.emu.transport())
        kw.setdefault("credentials", (key_id, secret, None))
        return make_provider(config, clock=self.clock.now, sleep=self.sleep, **kw)

    def close(self) -> None:
        if self.server is not None:
            self.server.shutdown()


@pytest.fixture(params=["in-process", "loopback"])
def sandbox(request):
    box = Sandbox(loopback=request.param == "loopback")
    yield box
    box.close()


@pytest.fixture
def local_sandbox():
    box = Sandbox()
    yield box
    box.close()
