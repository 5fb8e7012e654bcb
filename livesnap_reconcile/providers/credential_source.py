"""Credential sources: what a signer asks, on every request, for the keys to sign with.

Owns: the `CredentialSource` protocol, a `Static` source for long-lived keys, `Refreshing` (the
cached temporary credentials of an STS call or a metadata service, fetched again a margin before
they expire, thread-safe, on an injected clock), and `Fetcher` (the retried HTTP calls those
fetches make, over the provider's transport). It must not know either vendor's endpoints, variable
names or wire formats: each vendor's ``credentials`` package builds sources from these parts.
No message built here may contain a secret or a session token.
"""

from __future__ import annotations

import calendar
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx

from livesnap_reconcile.errors import AuthError, Permanent, ProviderError, Retryable, Unavailable
from livesnap_reconcile.providers.credentials_common import Credentials
from livesnap_reconcile.providers.deadline import DeadlineTransport
from livesnap_reconcile.providers.http import Call, Caller, check_endpoint
from livesnap_reconcile.providers.pacing import Buckets

log = logging.getLogger("livesnap.providers")

# Fetch new temporary credentials this long before the old ones expire (the SDKs use 3 to 15 min).
REFRESH_MARGIN = 300.0
# If a refresh fails, the old credentials are still used while they have at least this much left.
STALE_GRACE = 60.0


class CredentialSource(Protocol):
    """``get()`` returns credentials valid now; ``kind`` and ``identity`` describe them for people."""

    kind: str
    identity: str

    def get(self) -> Credentials: ...

    def invalidate(self) -> bool:
        """Forget cached temporary credentials (the issuer said they expired); False if nothing to renew."""
        ...


class Static:
    """Long-lived keys (or a session token the user handed in, which we cannot renew)."""

    def __init__(self, credentials: Credentials, *, kind: str | None = None, identity: str = "") -> None:
        self._credentials = credentials
        self.kind = kind or credentials.source
        self.identity = identity

    def __repr__(self) -> str:
        return f"Static({self._credentials!r})"

    def get(self) -> Credentials:
        return self._credentials

    def invalidate(self) -> bool:
        return False


class Refreshing:
    """Temporary credentials from ``fetch``, cached until ``margin`` seconds before they expire.

    One fetch at a time (a lock), so a pool of apply workers asks STS once, not once per worker.
    ``clock`` is the clock the issuer's expiry is measured on (the sandbox clock in tests).
    """

    def __init__(
        self,
        fetch: Callable[[], Credentials],
        *,
        kind: str,
        identity: str = "",
        provider: str,
        clock: Callable[[], float],
        margin: float = REFRESH_MARGIN,
    ) -> None:
        self._fetch = fetch
        self.kind = kind
        self.identity = identity
        self._provider = provider
        self._clock = clock
        self._margin = margin
        self._lock = threading.Lock()
        self._cached: Credentials | None = None
        self.fetches = 0

    def __repr__(self) -> str:
        return f"Refreshing(kind={self.kind!r}, identity={self.identity!r})"

    def invalidate(self) -> bool:
        with self._lock:
            self._cached = None
        return True

    @property
    def expires_at(self) -> float | None:
        return self._cached.expires_at if self._cached else None

    def get(self) -> Credentials:
        with self._lock:
            cached = self._cached
            now = self._clock()
            if cached is not None and (cached.expires_at is None or now < cached.expires_at - self._margin):
                return cached
            try:
                fresh = self._fetch()
            except Retryable as exc:
                if cached is not None and cached.expires_at is not None and now < cached.expires_at - STALE_GRACE:
                    log.warning("provider %s: cannot refresh %s credentials yet (%s); using the current ones",
                                self._provider, self.kind, type(exc).__name__)
                    return cached
                # status 0: the API request was never sent, so even a write may be retried.
                raise Unavailable(f"cannot get {self.kind} credentials: {exc}", provider=self._provider,
                                  status=0) from None
            self.fetches += 1
            self._cached = fresh
            return fresh


@dataclass(frozen=True)
class Context:
    """What every credential source may use: the environment, home, transport, clocks and retries."""

    provider: str
    env: Mapping[str, str]
    home: Path
    transport: httpx.BaseTransport | None = None
    clock: Callable[[], float] = time.time  # wall time: signatures
    now: Callable[[], float] = time.time  # the issuer's time: expiry
    sleep: Callable[[float], None] = time.sleep
    max_attempts: int = 6
    timeout: float = 10.0
    rng: random.Random | None = None
    endpoint: str | None = None  # a loopback API endpoint (the sandbox) also serves STS and metadata

    def fetcher(self, *, auth: httpx.Auth | None = None, timeout: float | None = None,
                max_attempts: int | None = None, plain_http_hosts: frozenset[str] = frozenset()) -> Fetcher:
        return Fetcher(self, auth=auth, timeout=timeout, max_attempts=max_attempts,
                       plain_http_hosts=plain_http_hosts)


class Fetcher:
    """Retried HTTP calls for credential endpoints: throttling and 5xx are retried like API calls."""

    def __init__(self, ctx: Context, *, auth: httpx.Auth | None = None, timeout: float | None = None,
                 max_attempts: int | None = None, plain_http_hosts: frozenset[str] = frozenset()) -> None:
        self.provider = ctx.provider
        transport = DeadlineTransport(ctx.transport or httpx.HTTPTransport(trust_env=False))
        client = httpx.Client(auth=auth, transport=transport, timeout=timeout or ctx.timeout,
                              follow_redirects=False, trust_env=False)
        buckets = Buckets({"credentials": 10.0}, default_rate=10.0, clock=ctx.clock, sleep=ctx.sleep)
        self._caller = Caller(provider=ctx.provider, client=client, buckets=buckets, sleep=ctx.sleep,
                              max_attempts=max_attempts or ctx.max_attempts, rng=ctx.rng,
                              plain_http_hosts=plain_http_hosts)

    def call(self, action: str, build: Callable[[], httpx.Request],
             parse: Callable[[httpx.Response], dict[str, Any]]) -> dict[str, Any]:
        return self._caller.call(Call(action=action, group="credentials"), build, parse)


def endpoint_url(ctx: Context, *, override_vars: tuple[str, ...], default: str) -> str:
    """Where an STS or metadata service is: an env override, else the sandbox endpoint, else the vendor's.

    A bare host in an override means https. Plain http is refused unless the host is loopback.
    """
    for name in override_vars:
        value = (ctx.env.get(name) or "").strip()
        if value:
            url = value if "://" in value else f"https://{value}"
            return check_endpoint(url, provider=ctx.provider)
    if ctx.endpoint:
        return ctx.endpoint
    return default


def parse_expiry(text: object) -> float | None:
    """``2026-01-01T00:00:00Z`` (STS, metadata) -> epoch seconds; None when absent or unreadable."""
    try:
        return float(calendar.timegm(time.strptime(str(text).strip(), "%Y-%m-%dT%H:%M:%SZ")))
    except ValueError:
        return None


def refused(provider: str, vendor: str, what: str, exc: ProviderError) -> AuthError:
    """One line naming the provider and the role (or instance role) that was refused."""
    code = f" [{exc.code}]" if exc.code else ""
    return AuthError(f"provider {provider!r} ({vendor}): {what} was refused{code}", provider=provider,
                     code=exc.code, request_id=exc.request_id)


def guarded(fetch: Callable[[], Credentials], *, provider: str, vendor: str, what: str) -> Callable[[], Credentials]:
    """``fetch`` with permanent vendor errors turned into the one-line `refused` error."""

    def run() -> Credentials:
        try:
            return fetch()
        except AuthError as exc:
            if str(exc).startswith(f"provider {provider!r}"):
                raise
            raise refused(provider, vendor, what, exc) from None
        except Permanent as exc:
            raise refused(provider, vendor, what, exc) from None
    return run
