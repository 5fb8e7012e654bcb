"""The PostgreSQL backend: the state as one row per name, every serial kept in a history table.

Owns the connection (psycopg 3, an optional extra, imported only here), reads, the guarded
commit, history and exact restores. It keeps the contract of `backend.py`: each ``write`` is one
transaction that locks the state's row, checks lineage and serial against what the caller read,
stores serial + 1, records the version in ``livesnap_history`` and trims it to the retention,
so a stale writer fails instead of overwriting. Locking is `pg_lock.py`; tables are `pg_schema.py`.

One connection per backend, opened on first use and used under a mutex: the advisory lock is
bound to it, so if it is lost while the lock is held nothing is retried behind the caller's back.
No message may contain the URL's password: errors name the redacted URL, and libpq's own text is
scrubbed of the password before it is shown.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any
from urllib.parse import unquote, urlsplit

from livesnap_reconcile.errors import StateCorrupt, StateError, StateLocked, StateStale
from livesnap_reconcile.state.backend import LockInfo
from livesnap_reconcile.state.encoding import StateEncoder
from livesnap_reconcile.state.history import Version
from livesnap_reconcile.state.local import default_who
from livesnap_reconcile.state.location import PgLocation
from livesnap_reconcile.state.model import FORMAT_VERSION, State
from livesnap_reconcile.state.pg_lock import PgLock
from livesnap_reconcile.state.pg_schema import ensure_schema
from livesnap_reconcile.state.pg_write import check_successor, counts

_CONNECT_TIMEOUT = 10


class PostgresBackend:
    """`StateBackend` over a PostgreSQL database. One lock at a time per instance."""

    def __init__(self, location: PgLocation, *, clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep, who: str | None = None) -> None:
        if location.name is None:
            raise StateError(f"state URL {location.redacted} names no state: add ?name=NAME")
        self.location = location
        self.name: str = location.name
        self.path = location.redacted  # what messages call "where the state is"
        self._clock = clock
        self._who = who or default_who()
        self._lock = PgLock(self.name, host=socket.gethostname(), clock=clock, sleep=sleep)
        self._encoder = StateEncoder()
        self._conn: Any = None
        self._mutex = threading.RLock()
        self._refusal: StateCorrupt | None = None
        self._last: State | None = None  # the state last read or written, for history counts
        self._lost: str | None = None  # id of a lock that died with its connection

    def describe(self) -> str:
        return f"PostgreSQL state {self.name} at {self.location.redacted}"

    def close(self) -> None:
        with self._mutex:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # --- read / write ------------------------------------------------------------------------

    def read(self) -> State | None:
        with self._session() as conn, conn.cursor() as cur:
            cur.execute("SELECT body FROM livesnap_states WHERE name = %s", (self.name,))
            row = cur.fetchone()
        if row is None:
            self._refusal = None
            return None
        try:
            state = self._parse(row[0], where=self.describe())
        except StateCorrupt as exc:
            self._refusal = exc
            raise
        self._refusal, self._last = None, state
        return state

    def write(self, state: State) -> State:
        if self._refusal is not None:
            raise StateCorrupt(f"{self._refusal} (not overwriting it)")
        written = replace(state, serial=state.serial + 1, format_version=FORMAT_VERSION)
        body = self._encoder.encode(written).decode("utf-8")
        previous = self._last if self._last is not None and self._last.serial == state.serial else None
        with self._session() as conn, conn.transaction(), conn.cursor() as cur:
            cur.execute("SELECT lineage, serial FROM livesnap_states WHERE name = %s FOR UPDATE", (self.name,))
            row = cur.fetchone()
            check_successor(state, None if row is None else (row[0], row[1]), where=self.describe())
            try:
                self._store(cur, written, body, insert=row is None, previous=previous)
            except _psycopg().errors.UniqueViolation:
                raise StateStale(f"{self.describe()} was created by another run after this one found none; "
                                 "refusing to overwrite it: run again") from None
        self._last = written
        return written

    def restore(self, state: State) -> State:
        """Store ``state`` as it is (same lineage and serial): the target side of `state migrate`.
        Refused when this state has another lineage or a higher serial."""
        body = self._encoder.encode(state).decode("utf-8")
        with self._session() as conn, conn.transaction(), conn.cursor() as cur:
            cur.execute("SELECT lineage, serial FROM livesnap_states WHERE name = %s FOR UPDATE", (self.name,))
            row = cur.fetchone()
            if row is not None:
                _check_restorable(state, row[0], row[1], where=self.describe())
                if row[1] == state.serial:
                    cur.execute("SELECT body FROM livesnap_states WHERE name = %s", (self.name,))
                    same = cur.fetchone()
                    if same is not None and same[0] == body:
                        return state
                    raise StateStale(f"{self.describe()} already holds serial {state.serial} with other "
                                     "content; refusing to overwrite it")
            self._store(cur, state, body, insert=row is None, previous=None)
        self._last = state
        return state

    def _store(self, cur: Any, state: State, body: str, *, insert: bool, previous: State | None) -> None:
        if insert:
            cur.execute("INSERT INTO livesnap_states (name, lineage, serial, body) VALUES (%s, %s, %s, %s)",
                        (self.name, state.lineage, state.serial, body))
        else:
            cur.execute("UPDATE livesnap_states SET lineage = %s, serial = %s, body = %s, updated_at = now() "
                        "WHERE name = %s", (state.lineage, state.serial, body, self.name))
        added, changed, removed = counts(previous, state)
        operation = self._lock.held.operation if self._lock.held is not None else "write"
        cur.execute(
            """INSERT INTO livesnap_history (name, serial, lineage, body, who, operation, resources, added,
                                             changed, removed)
               VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
               ON CONFLICT (name, serial) DO UPDATE SET lineage = EXCLUDED.lineage, body = EXCLUDED.body,
                 written_at = now(), who = EXCLUDED.who, operation = EXCLUDED.operation,
                 resources = EXCLUDED.resources, added = EXCLUDED.added, changed = EXCLUDED.changed,
                 removed = EXCLUDED.removed""",
            (self.name, state.serial, state.lineage, body, self._who, operation, len(state.resources),
             added, changed, removed),
        )
        cur.execute("DELETE FROM livesnap_history WHERE name = %s AND serial <= %s",
                    (self.name, state.serial - self.location.retention))

    # --- history -----------------------------------------------------------------------------

    def history(self) -> list[Version]:
        """Every version kept, newest first."""
        with self._session() as conn, conn.cursor() as cur:
            cur.execute(
                """SELECT serial, lineage, to_char(written_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                          who, operation, resources, added, changed, removed
                   FROM livesnap_history WHERE name = %s ORDER BY serial DESC""", (self.name,))
            rows = cur.fetchall()
        return [Version(serial=r[0], lineage=r[1], written_at=r[2], who=r[3], operation=r[4], resources=r[5],
                        added=r[6], changed=r[7], removed=r[8]) for r in rows]

    def read_serial(self, serial: int) -> State | None:
        """The state as it was at ``serial``, or None when that version is not kept."""
        with self._session() as conn, conn.cursor() as cur:
            cur.execute("SELECT body FROM livesnap_history WHERE name = %s AND serial = %s", (self.name, serial))
            row = cur.fetchone()
        return None if row is None else self._parse(row[0], where=f"{self.describe()} serial {serial}")

    # --- locking -----------------------------------------------------------------------------

    def lock(self, *, operation: str, timeout: float) -> LockInfo:
        created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self._clock()))
        info = LockInfo.make(who=self._who, pid=os.getpid(), operation=operation, created=created)
        with self._session() as conn:
            self._lock.acquire(conn, info, timeout=timeout)
        return info

    def unlock(self, lock: LockInfo) -> None:
        if self._lock.held is None and lock.id == self._lost:
            return  # already released by PostgreSQL with the lost connection
        with self._session() as conn:
            self._lock.release(conn, lock)

    def force_unlock(self, lock_id: str) -> None:
        with self._session() as conn:
            self._lock.force_release(conn, lock_id)

    def current_lock(self) -> LockInfo | None:
        with self._session() as conn:
            return self._lock.holder(conn)[1]

    # --- connection --------------------------------------------------------------------------

    @contextmanager
    def _session(self) -> Iterator[Any]:
        psycopg = _psycopg()
        with self._mutex:
            try:
                yield self._connection()
            except (StateError, StateLocked):
                raise
            except psycopg.Error as exc:
                self._drop_broken()
                raise StateError(f"{self.describe()}: {self._scrub(exc)}") from None

    def _connection(self) -> Any:
        if self._conn is not None and not self._conn.closed:
            return self._conn
        if self._lock.held is not None:
            self._lost, self._lock.held = self._lock.held.id, None
            raise StateError(f"lost the connection to {self.describe()} while holding the state lock "
                             "(PostgreSQL has released it); nothing more was written: run again")
        self._conn = _connect(self.location)
        ensure_schema(self._conn, where=self.describe())
        return self._conn

    def _drop_broken(self) -> None:
        if self._conn is not None and (self._conn.closed or self._conn.broken):
            self._conn.close()
            self._conn = None

    def _scrub(self, exc: BaseException) -> str:
        text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        password = urlsplit(self.location.conninfo).password
        for secret in {password, unquote(password)} if password else set():
            text = text.replace(secret, "***")
        return text

    def _parse(self, body: str, *, where: str) -> State:
        try:
            return State.from_dict(json.loads(body))
        except json.JSONDecodeError as exc:
            raise StateCorrupt(f"{where} is not valid JSON ({exc.msg}); refusing to use it") from None
        except StateCorrupt as exc:
            raise StateCorrupt(f"{where}: {exc}; refusing to use it") from None


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise StateError("the PostgreSQL state backend needs psycopg: "
                         "pip install 'livesnap-reconcile[postgres]'") from None
    return psycopg


def _connect(location: PgLocation) -> Any:
    psycopg = _psycopg()
    extra: dict[str, Any] = {"autocommit": True}
    if "connect_timeout" not in location.conninfo and "PGCONNECT_TIMEOUT" not in os.environ:
        extra["connect_timeout"] = _CONNECT_TIMEOUT
    if "application_name" not in location.conninfo and "PGAPPNAME" not in os.environ:
        extra["application_name"] = "livesnap"
    return psycopg.connect(location.conninfo, **extra)


def _check_restorable(state: State, lineage: str, serial: int, *, where: str) -> None:
    if lineage != state.lineage:
        raise StateCorrupt(f"{where} holds another state (lineage {lineage}, the source has {state.lineage}); "
                           "refusing to overwrite it")
    if serial > state.serial:
        raise StateStale(f"{where} is ahead of the source (serial {serial} > {state.serial}); refusing to "
                         "overwrite it")
