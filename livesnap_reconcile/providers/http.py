"""Sending one vendor call: pacing, retries, transport-error mapping and the plain-http guard.

Owns: the loop around one request (token bucket before each attempt; exponential backoff with
jitter for `Throttled`/`Unavailable`; `UnknownOutcome` instead of a retry when a non-idempotent
write may have happened), the two time limits (a total deadline per request covering connect, send
and the whole response, so a trickling endpoint cannot hold it open; a retry budget per operation
covering every attempt and pause), the translation of httpx transport errors into the error tree, message
truncation, request counting, and the rule that signed requests never travel over plain http to a
non-loopback host. It must not know vendor wire formats or codes: each vendor client passes a
`build` function (a fresh request per attempt, so signatures, dates and nonces are fresh) and a
`parse` function that maps the vendor envelope to a dict or raises from `livesnap_reconcile.errors`.
"""

from __future__ import annotations

import logging
import random
import threading
import time
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
from livesnap_reconcile.providers.deadline import DEADLINE_KEY
from livesnap_reconcile.providers.pacing import Backoff, Buckets

log = logging.getLogger("livesnap.providers")

MESSAGE_LIMIT = 300
# Documented in README "Time limits": per request (connect + send + whole response) and per operation.
REQUEST_DEADLINE = 30.0
RETRY_BUDGET = 120.0
# Throttling may be retried past max_attempts while the pacer slows down, within the retry budget
# (`make_provider` does so unless the caller chose max_attempts itself).
THROTTLED_ATTEMPTS = 40
THROTTLED_BACKOFF_STEPS = 3  # a throttled retry waits at most base x 2^2 (0.8 s by default)


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
        clock: Callable[[], float] = time.monotonic,
        request_deadline: float = REQUEST_DEADLINE,
        retry_budget: float = RETRY_BUDGET,
        throttled_attempts: int | None = None,
        vendor: str = "",
    ) -> None:
        self.provider = provider
        self._who = f"provider {provider} ({vendor})" if vendor else f"provider {provider!r}"
        self._clock = clock
        self.request_deadline = float(request_deadline)
        self.retry_budget = float(retry_budget)
        self._plain_http_hosts = plain_http_hosts  # link-local metadata services only: they have no https
        self.client = client
        self.buckets = buckets
        self._sleep = sleep
        self.max_attempts = max(1, int(max_attempts))
        self.throttled_attempts = max(self.max_attempts, int(throttled_attempts or 0))
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
        started = self._clock()
        while True:
            attempt += 1
            bucket = self.buckets.get(call.group)
            bucket.acquire()
            sent_at = bucket.now()
            with self._lock:
                self.counts[call.action] += 1
            try:
                result = parse(self._send(call, build()))
            except Throttled as err:
                bucket.throttled(sent_at)
                self._retry_or_raise(call, err, attempt, started)
            except Retryable as err:
                self._retry_or_raise(call, err, attempt, started)
            else:
                bucket.succeeded()
                self.buckets.latency.observe(bucket.now() - sent_at)
                return result

    def _retry_or_raise(self, call: Call, err: Retryable, attempt: int, started: float) -> None:
        """Sleep before the next attempt, or raise the error that ends the operation."""
        final = self._final(call, err, attempt)
        if final is not None:
            raise final from err
        retry_after = err.retry_after if isinstance(err, Throttled) else None
        # The pacer has slowed down for a throttled request: a short pause is enough, not a long backoff.
        step = min(attempt, THROTTLED_BACKOFF_STEPS) if isinstance(err, Throttled) else attempt
        delay = self.backoff.delay(step, rng=self._rng, retry_after=retry_after)
        spent = self._clock() - started
        if spent + delay > self.retry_budget:
            raise _with_note(err, f"gave up after {attempt} attempts in {spent:.1f}s "
                                  f"(retry budget {self.retry_budget:g}s)") from err
        with self._lock:
            self.retries[call.action] += 1
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
        if attempt >= (self.throttled_attempts if isinstance(err, Throttled) else self.max_attempts):
            return err
        return None

    def _send(self, call: Call, request: httpx.Request) -> httpx.Response:
        if request.url.host not in self._plain_http_hosts:
            require_secure(request.url, provider=self.provider)
        try:
            return self._within_deadline(call, request)
        except _NOT_SENT as exc:
            # status=0 marks "never sent", which `_final` may retry even for a write.
            raise Unavailable(f"{self._who}: cannot connect to {_origin(request.url)}: {_reason(exc)} "
                              f"({call.action})", provider=self.provider, status=0) from None
        except (httpx.TransportError, _DeadlinePassed) as exc:
            message = f"{self._who}: connection to {_origin(request.url)} failed: {_reason(exc)} ({call.action})"
            if isinstance(exc, httpx.TimeoutException | _DeadlinePassed):
                message = (f"provider {self.provider!r} is slow: {call.action}: no complete answer from "
                           f"{request.url.host} within the {self.request_deadline:g}s request deadline")
            if call.write:
                raise UnknownOutcome(message + " after the request was sent; list before retrying",
                                     provider=self.provider) from None
            raise Unavailable(message, provider=self.provider) from None

    def _within_deadline(self, call: Call, request: httpx.Request) -> httpx.Response:
        """Send and read the whole response, giving up once the request deadline has passed.

        No single socket operation may wait longer than the deadline, and the deadline is checked
        after every chunk (here, and by `DeadlineTransport` for a body an auth flow reads), so a
        server trickling one byte at a time is cut off too. Deadlines use ``time.monotonic``.
        """
        deadline = self._clock() + self.request_deadline
        request.extensions[DEADLINE_KEY] = deadline
        configured = self.client.timeout.read or self.request_deadline
        request.extensions["timeout"] = httpx.Timeout(min(configured, self.request_deadline)).as_dict()
        response = self.client.send(request, stream=True)
        if response.is_stream_consumed:  # an in-memory transport handed over a response already read
            response.read()
            return response
        try:
            chunks = []
            for chunk in response.iter_raw():
                chunks.append(chunk)
                if self._clock() > deadline:
                    raise _DeadlinePassed
        finally:
            response.close()
        if self._clock() > deadline:
            raise _DeadlinePassed
        whole = httpx.Response(response.status_code, headers=response.headers, content=b"".join(chunks),
                               request=request, extensions=response.extensions)
        whole.read()
        return whole


class _DeadlinePassed(Exception):
    """The request deadline passed while the response was still arriving."""


def _with_note(err: ProviderError, note: str) -> ProviderError:
    """``err`` again, same type and fields, with ``note`` appended to its message."""
    text = f"{super(ProviderError, err).__str__()}; {note}"
    if isinstance(err, Throttled):
        return Throttled(text, retry_after=err.retry_after, provider=err.provider, code=err.code,
                         request_id=err.request_id, status=err.status)
    return type(err)(text, provider=err.provider, code=err.code, request_id=err.request_id, status=err.status)


def _origin(url: httpx.URL) -> str:
    """``https://host[:port]``: where the request went, without path or query (which may be long)."""
    port = f":{url.port}" if url.port else ""
    return f"{url.scheme}://{url.host}{port}"


def _reason(exc: BaseException) -> str:
    """``connection refused`` from ``[Errno 111] Connection refused``; the class name when there is no text."""
    text = str(exc).strip()
    while text.startswith("[Errno"):
        text = text.split("]", 1)[-1].strip()
    text = text.split("\n", 1)[0][:160]
    return (text[:1].lower() + text[1:]) if text else type(exc).__name__

