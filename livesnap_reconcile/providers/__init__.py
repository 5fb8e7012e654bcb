"""Providers: signed vendor clients behind one Provider protocol (refresh and one write at a time).

`make_provider` is the one way other layers get a provider: it picks a credential source (the
vendor's default chain, or the sandbox keys), checks the endpoint (https unless loopback), and wires
signer, pacing and retries. A loopback endpoint (the sandbox) also serves STS and metadata.
This package must not import manifest, state, plan, apply or cli.
"""

from __future__ import annotations

import importlib
import os
import random
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import httpx

from livesnap_reconcile.errors import Invalid
from livesnap_reconcile.loopback import is_loopback
from livesnap_reconcile.providers.base import Provider
from livesnap_reconcile.providers.build import Wiring
from livesnap_reconcile.providers.credential_source import Context, CredentialSource, Static
from livesnap_reconcile.providers.credentials_common import from_tuple
from livesnap_reconcile.providers.http import (
    REQUEST_DEADLINE,
    RETRY_BUDGET,
    THROTTLED_ATTEMPTS,
    check_endpoint,
)
from livesnap_reconcile.providers.pacing import Buckets
from livesnap_reconcile.resources import ProviderConfig
from livesnap_reconcile.vendors import vendor

SANDBOX_ENDPOINT = "http://sandbox.localhost"
DEFAULT_ATTEMPTS = 6

__all__ = ["SANDBOX_ENDPOINT", "Provider", "make_provider", "default_endpoint", "sandbox_endpoint"]


def default_endpoint(config: ProviderConfig) -> str:
    registered = vendor(config.vendor)
    if registered is None:
        raise Invalid(f"provider {config.name!r}: unknown vendor {config.vendor!r}", provider=config.name)
    if config.site and config.site in registered.site_endpoints:
        return registered.site_endpoints[config.site]
    return registered.default_endpoint(config.region)


def sandbox_endpoint(config: ProviderConfig) -> str:
    """The sandbox's address for a provider: a site other than the default is its own subdomain, so
    the emulator serves that site's actions (``http://international.sandbox.localhost``)."""
    registered = vendor(config.vendor)
    default_site = next(iter(registered.site_endpoints), None) if registered else None
    if config.site and config.site != default_site:
        return f"http://{config.site}.sandbox.localhost"
    return SANDBOX_ENDPOINT


def make_provider(
    config: ProviderConfig,
    *,
    transport: httpx.BaseTransport | None = None,
    credentials: tuple[str, str, str | None] | tuple[str, str] | None = None,
    endpoint: str | None = None,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
    max_attempts: int | None = None,
    timeout: float = 10.0,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
    rng: random.Random | None = None,
    now: Callable[[], float] | None = None,
    credential_source: CredentialSource | None = None,
    request_deadline: float = REQUEST_DEADLINE,
    retry_budget: float = RETRY_BUDGET,
) -> Provider:
    """A ready provider for one manifest ``providers:`` entry. Raises AuthError / Invalid.

    ``clock`` is wall time: it stamps signatures and paces requests. ``now`` is business time
    (a task's "start now", which tasks are running); it defaults to ``clock`` and differs only
    in the sandbox, whose clock tests freeze and advance. ``credential_source`` reuses the source
    of an earlier provider for the same configuration (a long-running loop), skipping the chain.
    ``request_deadline`` bounds one request (connect, send, whole response) and ``retry_budget``
    one operation (every attempt and pause), in seconds of real elapsed time. ``max_attempts``
    bounds attempts after errors (default 6); left unset, throttling is retried longer (the pacer
    learns the real limit meanwhile), always within the budget.
    """
    attempts = DEFAULT_ATTEMPTS if max_attempts is None else max_attempts
    throttled_attempts = THROTTLED_ATTEMPTS if max_attempts is None else max_attempts
    registered = vendor(config.vendor)
    if registered is None:
        raise Invalid(f"provider {config.name!r}: unknown vendor {config.vendor!r}", provider=config.name)
    url = check_endpoint(endpoint or config.endpoint or default_endpoint(config), provider=config.name)
    local = is_loopback(httpx.URL(url).host)
    # Expiry is judged on the issuer's clock: a real cloud's is wall time (business time may be
    # pinned by LIVESNAP_NOW); a loopback sandbox issues on its business clock, which is ``now``.
    ctx = Context(provider=config.name, env=os.environ if env is None else env,
                  home=Path.home() if home is None else home, transport=transport, clock=clock,
                  now=(now or clock) if local else clock, sleep=sleep, rng=rng, timeout=timeout,
                  max_attempts=attempts, endpoint=url if local else None)
    chains = importlib.import_module(f"{registered.client}.credentials")
    source: CredentialSource
    if credential_source is not None:
        source = credential_source
    elif credentials is not None:
        sandbox = url in (SANDBOX_ENDPOINT, sandbox_endpoint(config))
        kind = "sandbox keys" if sandbox else "keys given by the caller"
        source = Static(from_tuple(credentials, provider=config.name), kind=kind)
    else:
        source = chains.chain(ctx, config.profile)
    source.get()  # fail now, with one clear line, rather than at the first request
    rates = dict(registered.rates)
    if config.max_rps:
        rates = {group: float(config.max_rps) for group in rates}
    buckets = Buckets(rates, default_rate=min(rates.values()), clock=clock, sleep=sleep)
    factory = importlib.import_module(f"{registered.client}.factory")
    provider: Provider = factory.build(Wiring(config=config, credentials=source, url=url, transport=transport,
                                              clock=clock, now=now or clock, sleep=sleep, buckets=buckets,
                                              max_attempts=attempts, timeout=timeout, rng=rng,
                                              request_deadline=request_deadline, retry_budget=retry_budget,
                                              throttled_attempts=throttled_attempts))
    # For `livesnap providers`: the source, and who the vendor says it is (one cheap STS call).
    provider.credential_source = source  # type: ignore[attr-defined]
    provider.pace = buckets  # type: ignore[attr-defined]  # for the applier's pool size (providers.base.Pace)
    provider.whoami = lambda: chains.caller_identity(ctx, source)  # type: ignore[attr-defined]
    return provider
