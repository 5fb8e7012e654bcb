"""The bytes of ``state.json``: ``json.dumps(sort_keys=True, indent=2)`` plus a newline, built fast.

Owns only serialisation. An apply commits the whole state after every change, and Python's
indenting JSON encoder is slow, so each entry's text is cached by identity: `State.with_entry`
keeps unchanged entries as the same objects, and only new ones are encoded again. The result is
byte for byte what ``json.dumps`` of the whole document gives (a test pins that). Entries are
frozen and their attributes are treated as read-only; a cached text is never revalidated.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from livesnap_reconcile.errors import StateError
from livesnap_reconcile.state.model import State, StateEntry

_ENTRY_INDENT = "\n    "  # entries sit at depth 2: {"resources": {"<address>": {...}}}


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False)


class StateEncoder:
    """Encodes states, remembering the text of entries it has seen."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[StateEntry, str]] = {}

    def encode(self, state: State) -> bytes:
        try:
            return self._encode(state).encode("utf-8")
        except (TypeError, ValueError) as exc:
            raise StateError(f"cannot serialise state: {exc}") from exc

    def _encode(self, state: State) -> str:
        # A placeholder no real value can equal, swapped for the resources block afterwards.
        marker = f"@@resources-{uuid.uuid4()}@@"
        head = _dumps({**state.to_dict_header(), "resources": marker})
        return head.replace(json.dumps(marker), self._resources(state), 1) + "\n"

    def _resources(self, state: State) -> str:
        if not state.resources:
            return "{}"
        cache: dict[str, tuple[StateEntry, str]] = {}
        lines = []
        for address in sorted(state.resources):
            entry = state.resources[address]
            known = self._cache.get(address)
            text = known[1] if known is not None and known[0] is entry else self._entry_text(entry)
            cache[address] = (entry, text)
            lines.append(f"    {json.dumps(address, ensure_ascii=False)}: {text}")
        self._cache = cache  # forget entries no longer in the state
        return "{\n" + ",\n".join(lines) + "\n  }"

    @staticmethod
    def _entry_text(entry: StateEntry) -> str:
        # JSON strings never hold a raw newline, so re-indenting line by line is exact.
        return _dumps(entry.to_dict()).replace("\n", _ENTRY_INDENT)


def encode_state(state: State) -> bytes:
    """The on-disk bytes of ``state`` (no cache)."""
    return StateEncoder().encode(state)
