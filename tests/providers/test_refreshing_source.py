"""`Refreshing`: cached until a margin before expiry, one fetch for many threads, stale-but-valid
credentials kept through a failed refresh, and an error that lets even a write be retried."""

from __future__ import annotations

import threading
import time

import pytest

from livesnap_reconcile.errors import Unavailable
from livesnap_reconcile.providers.credential_source import REFRESH_MARGIN, Refreshing
from livesnap_reconcile.providers.credentials_common import Credentials


class Issuer:
    def __init__(self, clock, *, lifetime=3600.0, fail=False, slow=0.0):
        self.clock, self.lifetime, self.fail, self.slow, self.calls = clock, lifetime, fail, slow, 0

    def __call__(self) -> Credentials:
        self.calls += 1
        if self.slow:
            time.sleep(self.slow)
        if self.fail:
            raise Unavailable("AssumeRole: HTTP 503", provider="ice", status=503)
        return Credentials(f"STS.{self.calls}", "s", "t", source="sts", expires_at=self.clock[0] + self.lifetime)


def source(issuer, clock):
    return Refreshing(issuer, kind="ram_role_arn", provider="ice", clock=lambda: clock[0])


def test_cached_until_the_margin_before_expiry():
    clock = [1000.0]
    issuer = Issuer(clock)
    src = source(issuer, clock)
    assert src.get().key_id == "STS.1"
    clock[0] += 3600 - REFRESH_MARGIN - 1
    assert src.get().key_id == "STS.1"
    clock[0] += 2
    assert src.get().key_id == "STS.2" and issuer.calls == 2


def test_many_threads_at_expiry_fetch_once():
    clock = [0.0]
    issuer = Issuer(clock, slow=0.05)
    src = source(issuer, clock)
    seen: list[str] = []
    threads = [threading.Thread(target=lambda: seen.append(src.get().key_id)) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert issuer.calls == 1 and set(seen) == {"STS.1"}


def test_a_failed_refresh_keeps_valid_credentials_then_fails_as_never_sent():
    clock = [0.0]
    issuer = Issuer(clock)
    src = source(issuer, clock)
    src.get()
    issuer.fail = True
    clock[0] = 3600 - REFRESH_MARGIN + 10  # inside the margin, still valid for minutes
    assert src.get().key_id == "STS.1"
    clock[0] = 3600 - 30  # too close to expiry to keep signing with it
    with pytest.raises(Unavailable) as info:
        src.get()
    assert info.value.status == 0 and "ram_role_arn" in str(info.value)


def test_invalidate_forces_a_fetch():
    clock = [0.0]
    issuer = Issuer(clock)
    src = source(issuer, clock)
    src.get()
    assert src.invalidate() and src.get().key_id == "STS.2"
