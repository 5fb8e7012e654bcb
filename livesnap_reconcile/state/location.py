"""Where ``--state`` points: a local file path or a PostgreSQL URL. Pure parsing, no I/O.

Owns telling the two apart (``postgresql://`` and ``postgres://`` select PostgreSQL, anything else
is a file path), taking livesnap's own query parameters out of the URL (``name``: which state in
the database; ``retention``: how many serials of history to keep) and a redacted form of the URL
for messages. Everything else in the URL (host, port, database, user, ``sslmode`` ...) is left to
libpq, which also reads ``PGHOST``, ``PGUSER``, ``PGPASSWORD``, ``PGSSLMODE`` and ``~/.pgpass``.
It must not connect anywhere: `postgres.py` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from livesnap_reconcile.errors import StateError

PG_SCHEMES = ("postgresql", "postgres")
DEFAULT_RETENTION = 1000
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


@dataclass(frozen=True)
class PgLocation:
    """A parsed PostgreSQL state URL. ``conninfo`` goes to libpq as is (it may hold a password);
    ``redacted`` is the only form that may appear in output."""

    conninfo: str
    redacted: str
    name: str | None
    retention: int
    has_password: bool

    def with_name(self, name: str) -> PgLocation:
        check_name(name)
        redacted = self.redacted + ("&" if "?" in self.redacted else "?") + urlencode({"name": name})
        return PgLocation(self.conninfo, redacted, name, self.retention, self.has_password)


def is_pg_url(value: str) -> bool:
    scheme, sep, _ = value.partition("://")
    return bool(sep) and scheme.lower() in PG_SCHEMES


def check_name(name: str) -> None:
    if not _NAME.fullmatch(name):
        raise StateError(f"state name {name!r} is not valid: use letters, digits, '.', '_' or '-' "
                         "(at most 128, starting with a letter or digit)")


def parse_pg_url(url: str) -> PgLocation:
    """Split a ``postgresql://`` URL into what libpq reads and what livesnap reads."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError as exc:
        raise StateError(f"state URL is not valid: {exc}") from None
    ours: dict[str, str] = {}
    theirs: list[tuple[str, str]] = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key in ("name", "retention"):
            ours[key] = value
        else:
            theirs.append((key, value))
    name = ours.get("name") or None
    if name is not None:
        check_name(name)
    retention = _retention(ours.get("retention"))
    query = urlencode(theirs, quote_via=quote)
    conninfo = _url(parts.netloc, parts.path, query)
    redacted = _url(_redacted_netloc(parts.netloc), parts.path, query)
    if name is not None:
        redacted += ("&" if query else "?") + urlencode({"name": name})
    return PgLocation(conninfo=conninfo, redacted=redacted, name=name, retention=retention,
                      has_password=password is not None and unquote(password) != "")


def _url(netloc: str, path: str, query: str) -> str:
    # By hand: urlunsplit drops the "//" of a URL without a host (postgresql:///db, libpq's defaults).
    return f"postgresql://{netloc}{path}" + (f"?{query}" if query else "")


def _retention(raw: str | None) -> int:
    if raw is None or raw == "":
        return DEFAULT_RETENTION
    if not raw.isdigit() or int(raw) < 1:
        raise StateError(f"state URL: retention must be a positive number of serials, not {raw!r}")
    return int(raw)


def _redacted_netloc(netloc: str) -> str:
    userinfo, at, hostport = netloc.rpartition("@")
    if not at:
        return netloc
    user, colon, _ = userinfo.partition(":")
    return f"{user}:***@{hostport}" if colon else f"{user}@{hostport}"
