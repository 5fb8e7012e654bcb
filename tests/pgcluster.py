"""A throwaway PostgreSQL cluster for the tests, started from the server binaries on this machine.

Owns finding ``initdb``/``pg_ctl`` (PATH, then /usr/lib/postgresql/*/bin), running them as an
unprivileged OS user when the tests run as root (``initdb`` refuses root; CI runs as root), a
private data directory and socket directory, a free port on 127.0.0.1, and stopping the server
(by its data directory, so only the cluster this code started) at the end. Trust authentication on
loopback only: nothing outside this machine can reach it. The one exception is the role
``pwuser`` (created by the tests that need it), which must give its password (scram-sha-256), so
that PGPASSWORD, ~/.pgpass and passwords in URLs are proven to reach the server.

When the binaries are missing the tests skip with a loud reason, except under ``CI=true``, where
they fail: the PostgreSQL tests must never silently stop running.
"""

from __future__ import annotations

import glob
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

SUPERUSER = "livesnap"
PASSWORD_ROLE = "pwuser"  # the one role that must authenticate (scram) on 127.0.0.1: for PGPASSWORD/.pgpass tests


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def unavailable(reason: str) -> None:
    """Skip loudly, or fail under CI=true."""
    message = f"PostgreSQL tests NOT RUN: {reason}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI=true: failing instead of skipping)", pytrace=False)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Cluster:
    """``initdb`` + ``pg_ctl start`` in a temporary directory; `stop` removes it all."""

    def __init__(self, *, fsync: bool = False) -> None:
        initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
        if not initdb or not pg_ctl:
            unavailable("the PostgreSQL server binaries (initdb, pg_ctl) are not installed")
        assert initdb and pg_ctl
        self._pg_ctl = pg_ctl
        self._prefix = self._as_user()
        self.dir = Path(tempfile.mkdtemp(prefix="livesnap-pg-"))
        self.dir.chmod(0o700)
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self.dir, account.pw_uid, account.pw_gid)
        self.data = self.dir / "data"
        self._run([initdb, "-D", str(self.data), "-A", "trust", "-U", SUPERUSER, "-E", "UTF8",
                   "--locale=C", "--no-sync"])
        hba = self.data / "pg_hba.conf"
        hba.write_text(f"host all {PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
        options = f"-h 127.0.0.1 -k {self.dir} -c max_connections=100" + ("" if fsync else " -F")
        for _attempt in range(5):  # another process may take the free port before the server does
            self.port = _free_port()
            started = subprocess.run(self._cmd(
                [pg_ctl, "-D", str(self.data), "-l", str(self.dir / "server.log"), "-w",
                 "-t", "30", "-o", f"{options} -p {self.port}", "start"]),
                capture_output=True, text=True)
            if started.returncode == 0:
                break
        else:
            log = (self.dir / "server.log").read_text()[-2000:]
            self.stop()
            raise RuntimeError(f"PostgreSQL did not start: {log}")

    def _as_user(self) -> list[str]:
        if os.geteuid() != 0:
            return []
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            unavailable("running as root and there is no 'postgres' OS user to run the server as")
        runuser = shutil.which("runuser")
        return [runuser, "-u", "postgres", "--"] if runuser else ["su", "postgres", "-s", "/bin/sh", "-c"]

    def _cmd(self, argv: list[str]) -> list[str]:
        if self._prefix and self._prefix[0] == "su":
            return [*self._prefix, shlex.join(argv)]
        return [*self._prefix, *argv]

    def _run(self, argv: list[str]) -> None:
        done = subprocess.run(self._cmd(argv), capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{argv} failed: {done.stderr or done.stdout}")

    def url(self, database: str = "postgres", **params: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}" + (f"?{query}" if query else "")

    def create_database(self) -> str:
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(self._cmd([self._pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop"]),
                           capture_output=True, text=True)
        shutil.rmtree(self.dir, ignore_errors=True)
