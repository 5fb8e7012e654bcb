"""Credential values and the file readers both vendors share.

Owns: the `Credentials` value (whose repr never shows a secret) and tolerant readers for INI and
JSON credential files. It must not know either vendor's variable names or search order (those live
in ``alibaba/credentials.py`` and ``tencent/credentials.py``) and must never log or raise with a
secret in the message.
"""

from __future__ import annotations

import configparser
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livesnap_reconcile.errors import AuthError


@dataclass(frozen=True)
class Credentials:
    """An access key pair and an optional session token. ``source`` says where it came from."""

    key_id: str
    secret: str = field(repr=False)
    token: str | None = field(default=None, repr=False)
    source: str = "static"
    expires_at: float | None = None  # epoch seconds; None for long-lived keys

    def __repr__(self) -> str:
        return (f"Credentials(key_id={mask(self.key_id)!r}, token={'yes' if self.token else 'no'}, "
                f"source={self.source!r}, expires_at={self.expires_at!r})")

    __str__ = __repr__


def mask(value: str) -> str:
    """A key id shortened for messages: enough to recognise it, not enough to use it."""
    if len(value) <= 8:
        return "****"
    return f"{value[:4]}****{value[-2:]}"


def from_tuple(value: tuple[str, str, str | None] | tuple[str, str], *, provider: str) -> Credentials:
    """Credentials handed in by the caller (the sandbox keys)."""
    if len(value) not in (2, 3) or not value[0] or not value[1]:
        raise AuthError(f"provider {provider!r}: credentials must be (key id, secret[, token])", provider=provider)
    token = value[2] if len(value) == 3 else None
    return Credentials(str(value[0]), str(value[1]), str(token) if token else None, source="argument")


def clean(value: str | None, *, strip_quotes: bool = False) -> str:
    """Trim a value read from a file or the environment; optionally drop surrounding quotes."""
    if value is None:
        return ""
    value = value.strip()
    if strip_quotes and len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1].strip()
    return value


def read_ini(path: Path, *, provider: str) -> configparser.ConfigParser | None:
    """An INI file, or None when it does not exist. A broken file is a clear AuthError."""
    if not path.is_file():
        return None
    parser = configparser.ConfigParser(inline_comment_prefixes=("#", ";"), interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, OSError, UnicodeDecodeError) as exc:
        # configparser messages can quote lines, which could hold a secret: report the type only.
        raise AuthError(
            f"provider {provider!r}: cannot read credentials file {path}: {type(exc).__name__}",
            provider=provider,
        ) from None
    return parser


def read_json(path: Path, *, provider: str) -> Any:
    """A JSON file, or None when it does not exist. A broken file is a clear AuthError."""
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AuthError(
            f"provider {provider!r}: cannot read credentials file {path}: {type(exc).__name__}",
            provider=provider,
        ) from None


def read_token_file(token_file: str, *, provider: str, vendor: str, what: str) -> str:
    """The token in ``token_file`` (re-read on every fetch: CI and RRSA rotate it), stripped."""
    path = Path(token_file)
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise AuthError(f"provider {provider!r} ({vendor}): cannot read the {what} file {path}: "
                        f"{type(exc).__name__}", provider=provider) from None


def missing(provider: str, vendor: str, tried: list[str]) -> AuthError:
    return AuthError(
        f"provider {provider!r} ({vendor}): no credentials found; tried " + ", ".join(tried),
        provider=provider,
    )
