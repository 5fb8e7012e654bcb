"""The PostgreSQL backend's tables, created on first use and migrated forward, never backward.

Owns the DDL and its version. ``livesnap_schema`` holds one row with the version applied;
`ensure_schema` applies every migration above it in one transaction, serialised across processes
by a transaction-level advisory lock (two first uses at once must not race on CREATE TABLE).
A database whose version is newer than this livesnap knows is refused, not touched.

Tables (one database may hold many states, told apart by ``name``)::

    livesnap_states    name → lineage, serial, body (the state document, exactly as the file backend writes it)
    livesnap_history   (name, serial) → lineage, body, written_at, who, operation, counts
    livesnap_locks     name → the record of who holds the advisory lock (read by waiters)
"""

from __future__ import annotations

from typing import Any

from livesnap_reconcile.errors import StateError

# Advisory-lock class for livesnap (first key of the two-key form); the second key is the state's.
LOCK_CLASS = 0x15E5
_SCHEMA_LOCK = 0

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1
        """CREATE TABLE IF NOT EXISTS livesnap_states (
            name text PRIMARY KEY,
            lineage text NOT NULL,
            serial bigint NOT NULL CHECK (serial >= 0),
            body text NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now())""",
        """CREATE TABLE IF NOT EXISTS livesnap_history (
            name text NOT NULL,
            serial bigint NOT NULL,
            lineage text NOT NULL,
            body text NOT NULL,
            written_at timestamptz NOT NULL DEFAULT now(),
            who text NOT NULL DEFAULT '',
            operation text NOT NULL DEFAULT '',
            resources integer NOT NULL DEFAULT 0,
            added integer NOT NULL DEFAULT 0,
            changed integer NOT NULL DEFAULT 0,
            removed integer NOT NULL DEFAULT 0,
            PRIMARY KEY (name, serial))""",
        """CREATE TABLE IF NOT EXISTS livesnap_locks (
            name text PRIMARY KEY,
            lock_id text NOT NULL,
            who text NOT NULL,
            host text NOT NULL,
            pid integer NOT NULL,
            operation text NOT NULL,
            since text NOT NULL,
            backend_pid integer NOT NULL)""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


def ensure_schema(conn: Any, *, where: str) -> None:
    """Create or migrate the tables on ``conn`` (psycopg, autocommit). Idempotent and concurrent-safe."""
    with conn.cursor() as cur:  # fast path: already at this version, no lock taken
        cur.execute("SELECT to_regclass('livesnap_schema') IS NOT NULL")
        row = cur.fetchone()
        if row is not None and row[0]:
            cur.execute("SELECT max(version), count(*) FROM livesnap_schema")
            found = cur.fetchone()
            if found is not None and found[0] == SCHEMA_VERSION and found[1] == 1:
                return
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_CLASS, _SCHEMA_LOCK))
        cur.execute("CREATE TABLE IF NOT EXISTS livesnap_schema (version integer NOT NULL)")
        cur.execute("SELECT version FROM livesnap_schema")
        rows = cur.fetchall()
        current = max((r[0] for r in rows), default=0)
        if current > SCHEMA_VERSION:
            raise StateError(
                f"{where} has livesnap schema version {current}, newer than this livesnap knows "
                f"({SCHEMA_VERSION}); upgrade livesnap"
            )
        for statements in MIGRATIONS[current:]:
            for sql in statements:
                cur.execute(sql)
        if current != SCHEMA_VERSION or len(rows) != 1:
            cur.execute("DELETE FROM livesnap_schema")
            cur.execute("INSERT INTO livesnap_schema (version) VALUES (%s)", (SCHEMA_VERSION,))
