"""Sending one vendor call: pacing, retries, transport-error mapping and the plain-http guard.

Owns: the loop around one request (token bucket before each attempt; exponential backoff with
jitter for `Throttled`/`Unavailable`; `UnknownOutcome` instead of a retry when a non-idempotent
write may have happened), the translation of httpx transport errors into the error tree, message
truncation, request counting, and the rule that signed requests never travel over plain http to a
non-loopback host. It must not know vendor wire formats or codes: each vendor client passes a
`build` function (a fresh request per attempt, so signatures, dates and nonces are fresh) and a
`parse` function that maps the vendor envelope to a dict or raises from `livesnap_reconcile.errors`.
"""

from __future__ import annotations

import logging
import random
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from livesnap_reconcile.errors import (
    Invalid,
    ProviderError,
    Retryable,
    Throttled,
    Unavailable,
    UnknownOutcome,
)
from livesnap_reconcile.loopback import is_loopback
from livesnap_reconcile.providers.pacing import Backoff, Buckets

log = logging.getLogger("livesnap.providers")

MESSAGE_LIMIT = 300


def truncate(text: str, limit: int = MESSAGE_LIMIT) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_endpoint(url: str, *, provider: str) -> str:
    """The endpoint normalised (no trailing slash), or Invalid when it is unusable or insecure."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise Invalid(f"provider {provider!r}: invalid endpoint {truncate(str(url), 120)!r}: {exc}", provider=provider) from None
    if parsed.userinfo:
        # Never echo it: the user:password part is a credential.
        raise Invalid(f"provider {provider!r}: the endpoint must not carry user:password@ credentials; "
                      "use environment variables or a profile", provider=provider)
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise Invalid(f"provider {provider!r}: endpoint must be an http(s) URL with a host, got {str(url)!r}", provider=provider)
    require_secure(parsed, provider=provider)
    return str(url).rstrip("/")


def require_secure(url: httpx.URL, *, provider: str) -> None:
    if url.scheme == "http" and not is_loopback(url.host):
        raise Invalid(
            f"provider {provider!r}: refusing to send signed requests over plain http to {url.host}; "
            "use https (plain http is allowed only for loopback hosts)",
            provider=provider,
        )


@dataclass(frozen=True)
class Call:
    """One vendor action. ``write`` marks a non-idempotent write (a create): its lost response
    must surface as UnknownOutcome so the caller can look before trying again."""

    action: str
    group: str
    write: bool = False


# Raised before any byte reached the server: always safe to retry.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class Caller:
    """Runs calls for one provider. Thread-safe; counts requests per action for economy checks."""

    def __init__(
        self,
        *,
        provider: str,
        client: httpx.Client,
        buckets: Buckets,
        sleep: Callable[[float], None],
        max_attempts: int = 6,
        backoff: Backoff = Backoff(),
        rng: random.Random | None = None,
        plain_http_hosts: frozenset[str] = frozenset(),
    ) -> None:
        self.provider = provider
        self._plain_http_hosts = plain_http_hosts  # link-local metadata services only: they have no https
        self.client = client
        self.buckets = buckets
        self._sleep = sleep
        self.max_attempts = max(1, int(max_attempts))
        self.backoff = backoff
        self._rng = rng or random.Random()
        self._lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.retries: Counter[str] = Counter()

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def call(
        self,
        call: Call,
        build: Callable[[], httpx.Request],
        parse: Callable[[httpx.Response], dict[str, Any]],
    ) -> dict[str, Any]:
        attempt = 0
        while True:
            attempt += 1
            self.buckets.get(call.group).acquire()
            with self._lock:
                self.counts[call.action] += 1
            try:
                return parse(self._send(call, build()))
            except Retryable as err:
                final = self._final(call, err, attempt)
                if final is not None:
                    raise final from err
                with self._lock:
                    self.retries[call.action] += 1
                retry_after = err.retry_after if isinstance(err, Throttled) else None
                delay = self.backoff.delay(attempt, rng=self._rng, retry_after=retry_after)
                log.debug("%s %s attempt %d failed (%s); retrying in %.2fs",
                          self.provider, call.action, attempt, type(err).__name__, delay)
                self._sleep(delay)

    def _final(self, call: Call, err: Retryable, attempt: int) -> ProviderError | None:
        """The error to raise now, or None to retry."""
        if isinstance(err, UnknownOutcome):
            return err
        if call.write and isinstance(err, Unavailable) and err.status != 0:
            # The request reached the server (5xx, InternalError, lost response): it may have
            # been applied. Never repeat a create blindly.
            return UnknownOutcome(
                f"{call.action}: outcome unknown ({super(ProviderError, err).__str__()}); "
                "list before retrying",
                provider=self.provider, code=err.code, request_id=err.request_id, status=err.status,
            )
        if attempt >= self.max_attempts:
            return err
        return None

    def _send(self, call: Call, request: httpx.Request) -> httpx.Response:
        if request.url.host not in self._plain_http_hosts:
            require_secure(request.url, provider=self.provider)
        try:
            response = self.client.send(request)
            response.read()
            return response
        except _NOT_SENT as exc:
            # status=0 marks "never sent", which `_final` may retry even for a write.
            raise Unavailable(f"{call.action}: cannot connect to {request.url.host}: {type(exc).__name__}",
                              provider=self.provider, status=0) from None
        except httpx.TransportError as exc:
            message = f"{call.action}: connection to {request.url.host} failed: {type(exc).__name__}"
            if call.write:
                raise UnknownOutcome(message + " after the request was sent; list before retrying",
                                     provider=self.provider) from None
            raise Unavailable(message, provider=self.provider) from None
