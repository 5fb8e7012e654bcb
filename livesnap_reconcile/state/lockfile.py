"""The lock of the local backend: ``fcntl.flock`` on a sibling ``state.json.lock`` file.

Owns acquiring (with backoff up to a timeout), releasing, inspecting and force-removing that lock.
It must not touch the state file itself: the state is replaced by ``os.replace``, which swaps the
inode, so a lock held on the state file would silently stop covering it.

Why flock: the kernel drops it when the holder dies (a SIGKILLed apply frees the lock at once),
so the JSON info written inside the file (id, who, pid, operation, created) is only for messages:
info left behind by a dead process never blocks anybody. Releasing unlinks the file while still
holding the lock; a waiter that then wins the lock on the unlinked inode notices (the path no
longer names what it locked) and tries again on a fresh file. The same check makes
``force-unlock`` (which unlinks the file of a hung holder) effective.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from livesnap_reconcile.errors import StateError, StateLocked, StateReadOnly
from livesnap_reconcile.state.backend import LockInfo

_FIRST_DELAY = 0.05
_MAX_DELAY = 1.0
_INODE_RETRIES = 20  # a release racing our acquire; each retry opens the freshly created file


def read_info(path: Path) -> LockInfo | None:
    """The lock info recorded in ``path``, or None when absent, empty or unreadable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StateError(f"cannot read lock file {path}: {exc.strerror or exc}") from exc
    try:
        return LockInfo.from_dict(json.loads(raw))
    except ValueError:  # empty (holder still writing) or garbage: no name to report
        return None


class FileLock:
    """One process's handle on ``path``. Not re-entrant: one lock at a time per handle."""

    def __init__(self, path: Path, *, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        self.path = path
        self._clock = clock
        self._sleep = sleep
        self._fd: int | None = None
        self.held: LockInfo | None = None

    def acquire(self, info: LockInfo, *, timeout: float) -> None:
        if self._fd is not None:
            raise StateError(f"this process already holds the state lock {self.held.id if self.held else ''}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._fail(exc)
        deadline = self._clock() + max(timeout, 0.0)
        delay = _FIRST_DELAY
        while True:
            fd = self._try_once()
            if fd is not None:
                self._publish(fd, info)
                return
            remaining = deadline - self._clock()
            if remaining <= 0:
                raise self._locked_error(timeout)
            self._sleep(min(delay, remaining))
            delay = min(delay * 2, _MAX_DELAY)

    def release(self, info: LockInfo) -> None:
        if self._fd is None or self.held is None or self.held.id != info.id:
            raise StateError(f"cannot unlock: this process does not hold lock {info.id}")
        fd, self._fd, self.held = self._fd, None, None
        try:
            # Unlink only if the path is still ours: after a force-unlock it may be a new holder's file.
            if self._names_fd(fd):
                self.path.unlink()
        except OSError as exc:
            raise StateError(f"cannot remove lock file {self.path}: {exc.strerror or exc}") from exc
        finally:
            os.close(fd)  # closing the last descriptor drops the flock

    def holder(self) -> LockInfo | None:
        """Who holds the lock now (this handle included), or None when nobody does."""
        if self.held is not None:
            return self.held
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CLOEXEC)
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._fail(exc)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return read_info(self.path)
        except OSError as exc:
            self._fail(exc)
        finally:
            os.close(fd)  # also drops the flock if we got it: nobody held it, any info is stale
        return None

    def force_release(self, lock_id: str) -> None:
        recorded = read_info(self.path)
        if recorded is None:
            raise StateError(f"state is not locked ({self.path} holds no lock info); nothing to unlock")
        if recorded.id != lock_id and self.holder() is None:
            raise StateError(
                f"state is not locked (lock {recorded.id} was left by {recorded.describe()}, which has "
                "exited); nothing to unlock"
            )
        if recorded.id != lock_id:
            raise StateError(
                f"lock id {lock_id} does not match the current lock {recorded.id} held by "
                f"{recorded.describe()}; refusing to unlock"
            )
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise StateError(f"cannot remove lock file {self.path}: {exc.strerror or exc}") from exc
        if self.held is not None and self.held.id == lock_id and self._fd is not None:
            os.close(self._fd)
            self._fd, self.held = None, None

    # --- internals -------------------------------------------------------------------------

    def _try_once(self) -> int | None:
        """A descriptor holding the flock on the file the path names now, or None if busy."""
        for _ in range(_INODE_RETRIES):
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as exc:
                self._fail(exc)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return None
            except OSError as exc:
                os.close(fd)
                self._fail(exc)
            if self._names_fd(fd):
                return fd
            os.close(fd)  # we won a file that was just released (unlinked): use the new one
        return None

    def _names_fd(self, fd: int) -> bool:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return False
        own = os.fstat(fd)
        return (st.st_dev, st.st_ino) == (own.st_dev, own.st_ino)

    def _publish(self, fd: int, info: LockInfo) -> None:
        data = (json.dumps(info.to_dict(), sort_keys=True) + "\n").encode()
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, data, 0)
        except OSError as exc:
            os.close(fd)
            self._fail(exc)
        self._fd, self.held = fd, info

    def _locked_error(self, timeout: float) -> StateLocked:
        info = read_info(self.path)
        waited = f"waited {timeout:g}s"
        if info is None:
            return StateLocked(f"state is locked by another process ({self.path}; {waited})")
        return StateLocked(
            f"state is locked by {info.describe()}; lock id {info.id}; {waited}; "
            f"if that process is gone, run `livesnap force-unlock {info.id} --state {self._state_arg()}`",
            lock_info=info.to_dict(),
        )

    def _state_arg(self) -> str:
        # The state file beside its lock, as the failing command named it: pasted from the same
        # directory, the suggested command finds the same state.
        return shlex.quote(str(self.path.with_name(self.path.name.removesuffix(".lock"))))

    def _fail(self, exc: OSError) -> NoReturn:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise StateReadOnly(f"cannot lock {self.path}: {exc.strerror or exc}") from exc
        raise StateError(f"cannot lock {self.path}: {exc.strerror or exc}") from exc
