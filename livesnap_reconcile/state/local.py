"""The local file backend: ``state.json`` on disk, written atomically, locked with a sibling file.

Owns reading and validating the file, the guarded atomic write (previous version kept as
``state.json.backup``), and the lock (``lockfile.py``). It must not interpret entries beyond
validation, and it never overwrites a file it could not read: corrupt JSON, a newer
``format_version``, wrong types, another lineage or a serial moved by another writer are refused
with a message naming the file.

Files, for ``--state .livesnap/state.json``::

    .livesnap/state.json          the state (JSON, sorted keys, indent 2, mode 0600)
    .livesnap/state.json.backup   the version before the last write
    .livesnap/state.json.lock     exists while a process holds the lock; JSON lock info
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import socket
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from livesnap_reconcile.core.atomic import atomic_write
from livesnap_reconcile.errors import StateCorrupt, StateError, StateStale
from livesnap_reconcile.state.backend import LockInfo
from livesnap_reconcile.state.encoding import StateEncoder
from livesnap_reconcile.state.history import Version
from livesnap_reconcile.state.lockfile import FileLock
from livesnap_reconcile.state.model import FORMAT_VERSION, State


def default_who() -> str:
    """``user@host`` for lock info; never fails (containers may have no passwd entry)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = f"uid{os.getuid()}"
    return f"{user}@{socket.gethostname()}"


class LocalBackend:
    """`StateBackend` over one JSON file. One lock at a time per instance (not re-entrant)."""

    def __init__(
        self,
        path: Path,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        who: str | None = None,
    ) -> None:
        given = Path(path)
        # A symlinked state path is written through the link: the backup and the lock sit beside
        # the real file, so two paths to one state share one lock and the link stays a link.
        self.path = Path(os.path.realpath(given)) if given.is_symlink() else given
        self.backup_path = self.path.with_name(self.path.name + ".backup")
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._clock = clock
        self._who = who or default_who()
        self._lock = FileLock(self.lock_path, clock=clock, sleep=sleep)
        self._encoder = StateEncoder()
        # Set when a read found a file we must not trust; every write refuses until a clean read.
        self._refusal: StateCorrupt | None = None
        # The bytes last read or written and their (lineage, serial): an apply commits after
        # every change, and re-parsing an unchanged large file each time would be quadratic.
        self._known: tuple[bytes, str, int] | None = None  # (sha256 of the file, lineage, serial)

    def describe(self) -> str:
        return f"local state file {self.path}"

    # --- read / write ------------------------------------------------------------------------

    def read(self) -> State | None:
        raw = self._read_raw()
        if raw is None:
            self._refusal = None
            return None
        digest = _digest(raw)
        try:
            text = self._decode(raw)
            del raw  # tens of MB at fleet scale: not alive beside the text and the parsed document
            state = self._parse_text(text)
        except StateCorrupt as exc:
            self._refusal = exc
            raise
        self._refusal = None
        self._known = (digest, state.lineage, state.serial)
        return state

    def write(self, state: State) -> State:
        """Store ``state`` as serial + 1 if the file still holds serial ``state.serial`` of the
        same lineage (or is absent and ``state.serial`` is 0). Returns the state as written."""
        if self._refusal is not None:
            raise StateCorrupt(f"{self._refusal} (not overwriting it)")
        written = replace(state, serial=state.serial + 1, format_version=FORMAT_VERSION)
        data = self._encoder.encode(written)  # before touching the disk: a bad attribute changes nothing
        current = self._read_raw()
        if current is None:
            self._check_absent_ok(state)
        else:
            self._check_successor(state, current)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if current is not None:
                atomic_write(self.backup_path, current)
            atomic_write(self.path, data)
        except OSError as exc:
            raise StateError(
                f"cannot write state file {self.path}: {exc.strerror or exc}; the previous state is unchanged"
            ) from exc
        self._known = (_digest(data), written.lineage, written.serial)
        self._sweep_temp_files()
        return written

    def _sweep_temp_files(self) -> None:
        """Remove temp copies a killed writer left beside the state (they hold state: never keep one).

        Only while holding the lock: then no other writer can be in the middle of its own write.
        """
        if self._lock.held is None:
            return
        for name in (self.path.name, self.backup_path.name):
            for leftover in self.path.parent.glob(f".{name}.*.tmp"):
                try:
                    leftover.unlink()
                except OSError:
                    pass  # another run may have removed it; it is swept again next write

    def _check_absent_ok(self, state: State) -> None:
        if state.serial != 0:
            raise StateStale(
                f"state file {self.path} disappeared after serial {state.serial} was read; "
                "refusing to write (restore it from the backup or run again)"
            )

    def _check_successor(self, state: State, current: bytes) -> None:
        lineage, serial = self._identify(current)
        if state.serial == 0 and lineage != state.lineage:
            raise StateStale(
                f"state file {self.path} was created by another run (serial {serial}) after this one "
                "found none; refusing to overwrite it: run again"
            )
        if lineage != state.lineage:
            raise StateCorrupt(
                f"state file {self.path} belongs to another state (lineage {lineage}, this run has "
                f"{state.lineage}); refusing to overwrite it"
            )
        if serial != state.serial:
            raise StateStale(
                f"state file {self.path} was written by another process (serial {serial}, this run "
                f"read {state.serial}); refusing to overwrite it: run again"
            )

    def _identify(self, current: bytes) -> tuple[str, int]:
        """(lineage, serial) of the bytes on disk, fully validated unless we know these bytes."""
        if self._known is not None and self._known[0] == _digest(current):
            return self._known[1], self._known[2]
        try:
            on_disk = self._parse(current)
        except StateCorrupt as exc:
            self._refusal = exc
            raise StateCorrupt(f"{exc} (not overwriting it)") from exc
        return on_disk.lineage, on_disk.serial

    def _read_raw(self) -> bytes | None:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StateError(f"cannot read state file {self.path}: {exc.strerror or exc}") from exc

    def _parse(self, raw: bytes) -> State:
        return self._parse_text(self._decode(raw))

    def _decode(self, raw: bytes) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise StateCorrupt(f"state file {self.path} is not UTF-8 (byte {exc.start}); refusing to use it") from exc

    def _parse_text(self, text: str) -> State:
        where = f"state file {self.path}"
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise StateCorrupt(
                f"{where} is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); "
                f"refusing to use it (the previous version may be in {self.backup_path.name})"
            ) from exc
        try:
            return State.from_dict(doc)
        except StateCorrupt as exc:
            raise StateCorrupt(f"{where}: {exc}; refusing to use it") from exc

    def restore(self, state: State) -> State:
        """Store ``state`` as it is (same lineage and serial): the target side of `state migrate`.
        Refused when the file holds another lineage, a higher serial, or this serial with other content."""
        data = self._encoder.encode(state)
        current = self._read_raw()
        if current is not None:
            on_disk = self._parse(current)
            if on_disk.lineage != state.lineage:
                raise StateCorrupt(f"state file {self.path} holds another state (lineage {on_disk.lineage}, "
                                   f"the source has {state.lineage}); refusing to overwrite it")
            if on_disk.serial > state.serial or (on_disk.serial == state.serial and current != data):
                raise StateStale(f"state file {self.path} is at serial {on_disk.serial} (the source at "
                                 f"{state.serial}); refusing to overwrite it")
            if current == data:
                return state
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if current is not None:
                atomic_write(self.backup_path, current)
            atomic_write(self.path, data)
        except OSError as exc:
            raise StateError(f"cannot write state file {self.path}: {exc.strerror or exc}") from exc
        self._known = (_digest(data), state.lineage, state.serial)
        return state

    # --- history: the file and its backup ------------------------------------------------------

    def history(self) -> list[Version]:
        """The versions still on disk (the state file and its backup), newest first."""
        out = []
        for path in (self.path, self.backup_path):
            state = self._version_at(path)
            if state is not None:
                written = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(path.stat().st_mtime))
                out.append(Version(serial=state.serial, lineage=state.lineage, written_at=written, who="",
                                   operation="", resources=len(state.resources)))
        return out

    def read_serial(self, serial: int) -> State | None:
        for path in (self.path, self.backup_path):
            state = self._version_at(path)
            if state is not None and state.serial == serial:
                return state
        return None

    def _version_at(self, path: Path) -> State | None:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StateError(f"cannot read state file {path}: {exc.strerror or exc}") from exc
        try:
            return State.from_dict(json.loads(raw))
        except (ValueError, StateCorrupt):
            return None  # a damaged backup is simply not offered

    # --- locking -----------------------------------------------------------------------------

    def lock(self, *, operation: str, timeout: float) -> LockInfo:
        created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self._clock()))
        info = LockInfo.make(who=self._who, pid=os.getpid(), operation=operation, created=created)
        self._lock.acquire(info, timeout=timeout)
        return info

    def unlock(self, lock: LockInfo) -> None:
        self._lock.release(lock)

    def force_unlock(self, lock_id: str) -> None:
        self._lock.force_release(lock_id)

    def current_lock(self) -> LockInfo | None:
        return self._lock.holder()


def _digest(raw: bytes) -> bytes:
    """What the backend remembers of the file it last read or wrote: a digest, not a copy (tens of MB)."""
    return hashlib.sha256(raw).digest()
