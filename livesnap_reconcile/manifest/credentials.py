"""Refusing credentials in manifests: finds secret-looking keys anywhere in the data.

Owns the rule "credentials do not belong in a manifest". Only field keys are judged: the names a
user chooses for providers, templates, streams and snapshots are identifiers, so a stream called
``token-bridge`` is fine while ``secret_key: ...`` anywhere is refused. Values are never echoed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from livesnap_reconcile.manifest.diagnostics import ManifestPath

MESSAGE = "credentials do not belong in a manifest; use environment variables or a profile"

_WORDS = {"secret", "secrets", "password", "passwd", "passphrase", "token", "tokens", "credential",
          "credentials", "apikey", "secretkey", "secretid", "accesskey", "accesskeyid", "accesskeysecret",
          "privatekey"}
_PAIRS = {("access", "key"), ("secret", "key"), ("private", "key"), ("api", "key"), ("secret", "id")}
_NAME_MAPS = {("providers",), ("templates",), ("streams",)}


@lru_cache(maxsize=4096)
def is_secret_key(key: str) -> bool:
    """``secret``, ``access_key_secret``, ``SecretKey``, ``password``, ``token``... -> True."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", key).lower()
    words = [w for w in re.split(r"[^a-z0-9]+", spaced) if w]
    if any(w in _WORDS for w in words) or "".join(words) in _WORDS:
        return True
    return any(pair in _PAIRS for pair in zip(words, words[1:], strict=False))


def secret_key_paths(data: object) -> Iterator[ManifestPath]:
    """Paths of every secret-looking field key, in document order."""
    found: list[ManifestPath] = []
    _walk(data, (), found)  # one list, not nested generators: a fleet has hundreds of thousands of keys
    return iter(found)


def _walk(value: object, path: ManifestPath, found: list[ManifestPath]) -> None:
    if isinstance(value, dict):
        names_here = path in _NAME_MAPS or (len(path) == 3 and path[0] == "streams" and path[2] == "snapshots")
        for key, child in value.items():
            if not names_here and isinstance(key, str) and is_secret_key(key):
                found.append((*path, key))
                continue  # its value may be the secret itself: never look inside
            if isinstance(child, dict | list):
                _walk(child, (*path, key), found)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            if isinstance(child, dict | list):
                _walk(child, (*path, index), found)
