"""A transport wrapper that holds every response to the request's total deadline.

httpx's timeouts bound each socket operation, so a server sending one byte every few seconds keeps a
response open indefinitely, and a body read inside an auth flow (our signers read it to notice an
expired session) is out of the caller's reach. This wrapper checks the deadline a `Caller` puts in
``request.extensions`` after every chunk of the body, whoever reads it, and raises
``httpx.ReadTimeout`` once it has passed. It must not know vendors, retries or errors of its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import httpx

DEADLINE_KEY = "livesnap.deadline"  # monotonic seconds by which the whole response must have arrived


class DeadlineTransport(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._inner = inner
        self._clock = clock

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        deadline = request.extensions.get(DEADLINE_KEY)
        if deadline is not None and isinstance(response.stream, httpx.SyncByteStream):
            response.stream = _Bounded(response.stream, request=request, deadline=float(deadline), clock=self._clock)
        return response

    def close(self) -> None:
        self._inner.close()


class _Bounded(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, *, request: httpx.Request, deadline: float,
                 clock: Callable[[], float]) -> None:
        self._inner = inner
        self._request = request
        self._deadline = deadline
        self._clock = clock

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            if self._clock() > self._deadline:
                raise httpx.ReadTimeout("the response did not complete within the request deadline",
                                        request=self._request)
            yield chunk

    def close(self) -> None:
        self._inner.close()
