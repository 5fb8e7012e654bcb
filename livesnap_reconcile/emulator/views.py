"""Derived views of the sandbox store (sorted records, a list query's matches), kept between requests.

A list action pages through the same query many times: sorting or scanning the whole store for
every page made a refresh of n records cost O(n) per page, minutes at fleet scale. A view is
built once from the store's records and reused by later read-only requests until anything may
have changed: `Store` drops every view when a transaction that is not read-only starts, when a
read-only one writes after all, and when it reloads the store from disk. Views hold references
to the store's records, never copies; callers must not change what they get. Vendor-neutral.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from typing import Any

# Distinct queries remembered between writes; a refresh asks a handful, so this only bounds memory.
MAX_VIEWS = 64

Record = dict[str, Any]


class Views:
    """Memo of derived values, keyed by what they were derived from; one per `Store`."""

    def __init__(self) -> None:
        self._memo: dict[Any, Any] = {}

    def get(self, key: Any, build: Callable[[], Any]) -> Any:
        if key not in self._memo:
            if len(self._memo) >= MAX_VIEWS:
                del self._memo[next(iter(self._memo))]  # the oldest: dicts keep insertion order
            self._memo[key] = build()
        return self._memo[key]

    def clear(self) -> None:
        self._memo.clear()


def cached(views: Views | None, key: Any, build: Callable[[], Any]) -> Any:
    """``build()``, remembered in ``views`` when the transaction offers them (read-only ones do)."""
    return build() if views is None else views.get(key, build)


def ordered(views: Views | None, name: str, records: Iterable[Record], key: Callable[[Record], Any], *,
            reverse: bool = False) -> list[Record]:
    """``records`` sorted by ``key`` (stable, as `sorted` is; ``reverse`` keeps ties in store order)."""
    return cached(views, ("ordered", name, reverse), lambda: sorted(records, key=key, reverse=reverse))


def between(items: list[Record], low: Any, high: Any, key: Callable[[Record], Any], *,
            descending: bool = False) -> list[Record]:
    """The items with ``low <= key(item) <= high`` of ``items`` sorted by ``key`` (or descending by it)."""
    if descending:  # bisect wants ascending keys: walk the descending list by the negated key
        def negated(item: Record) -> Any:
            return -key(item)
        return items[bisect.bisect_left(items, -high, key=negated):bisect.bisect_right(items, -low, key=negated)]
    return items[bisect.bisect_left(items, low, key=key):bisect.bisect_right(items, high, key=key)]
