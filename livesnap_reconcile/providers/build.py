"""What `make_provider` hands a vendor's factory: the configuration and the shared wiring.

A factory adds only its signer, client and provider class; the HTTP client (no redirects, no
proxy settings from the environment), pacing and retries are the same for every vendor.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from livesnap_reconcile.providers.credential_source import CredentialSource
from livesnap_reconcile.providers.deadline import DeadlineTransport
from livesnap_reconcile.providers.http import REQUEST_DEADLINE, RETRY_BUDGET, Caller
from livesnap_reconcile.providers.pacing import Buckets
from livesnap_reconcile.resources import ProviderConfig


@dataclass(frozen=True)
class Wiring:
    config: ProviderConfig
    credentials: CredentialSource
    url: str
    transport: httpx.BaseTransport | None
    clock: Callable[[], float]  # wall time: signatures and pacing
    now: Callable[[], float]  # business time
    sleep: Callable[[float], None]
    buckets: Buckets
    max_attempts: int
    timeout: float
    rng: random.Random | None
    request_deadline: float = REQUEST_DEADLINE
    retry_budget: float = RETRY_BUDGET
    throttled_attempts: int | None = None

    def caller(self, auth: httpx.Auth) -> Caller:
        # No redirects: a signed request must go where the endpoint says, nowhere else.
        transport = DeadlineTransport(self.transport or httpx.HTTPTransport(trust_env=False))
        client = httpx.Client(auth=auth, transport=transport, timeout=self.timeout, follow_redirects=False,
                              trust_env=False)
        return Caller(provider=self.config.name, vendor=self.config.vendor, client=client, buckets=self.buckets,
                      sleep=self.sleep,
                      max_attempts=self.max_attempts, rng=self.rng,
                      request_deadline=self.request_deadline, retry_budget=self.retry_budget,
                      throttled_attempts=self.throttled_attempts)
