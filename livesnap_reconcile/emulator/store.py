"""The sandbox's remote-side store: one JSON document, in memory or in a directory.

With a directory, several processes may use it in turn (a CLI run, a test hook through another
Emulator, `sandbox serve`): every transaction takes an fcntl lock on a sibling lock file (never on
the data file, which atomic writes replace), reloads only if the file changed since this process
last saw it, and saves atomically if the caller wrote. A threading lock makes it safe for
concurrent requests within one process. Read-only transactions share derived views (`views`)
that any other transaction discards. It knows nothing of vendor semantics.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import json
import threading
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

from livesnap_reconcile.emulator.jsonfile import atomic_write_json, file_stamp
from livesnap_reconcile.emulator.views import Views

FORMAT = 1
STORE_FILE = "store.json"
LOCK_FILE = "store.lock"


class StoreError(Exception):
    """The on-disk store cannot be used (corrupt, or from a newer format)."""


def empty_store() -> dict[str, Any]:
    return {"format": FORMAT, "seq": 0, "offline": [],
            "ice": {"jobs": {}, "templates": {}},
            "tencent": {"tasks": {}, "templates": {}, "rules": {}, "next_template_id": 10001}}


class Txn:
    """Handed to a transaction body: the data, a flag the body sets when it changed it, and the
    store's views when the transaction was opened read-only (None otherwise: build afresh)."""

    def __init__(self, data: dict[str, Any], views: Views | None = None) -> None:
        self.data = data
        self.wrote = False
        self.views = views


class Store:
    def __init__(self, data_dir: str | Path | None = None) -> None:
        self._lock = threading.RLock()
        self._dir = Path(data_dir) if data_dir is not None else None
        self._data = empty_store()
        self._stamp: tuple[int, ...] | None = None
        self._views = Views()
        if self._dir is not None:
            self._dir.mkdir(parents=True, exist_ok=True)
            with self.transaction():
                pass  # load now, so a corrupt store fails at start-up, not on the first request

    @property
    def path(self) -> Path | None:
        return self._dir / STORE_FILE if self._dir is not None else None

    @contextlib.contextmanager
    def transaction(self, *, read_only: bool = False) -> Iterator[Txn]:
        """``read_only``: the body promises to change nothing unless it sets ``wrote``; only such
        transactions get the views, and any other one may change records, so it discards them."""
        with self._lock:
            if not read_only:
                self._views.clear()
            try:
                if self._dir is None:
                    # In memory there is nothing to reload from: bodies validate before they mutate.
                    txn = Txn(self._data, self._views if read_only else None)
                    yield txn
                else:
                    txn = yield from self._on_disk(read_only)
            except BaseException:
                self._views.clear()
                raise
            if txn.wrote:
                self._views.clear()

    def _on_disk(self, read_only: bool) -> Generator[Txn, None, Txn]:
        assert self._dir is not None
        with open(self._dir / LOCK_FILE, "a+") as lock_fh:
            fcntl.flock(lock_fh.fileno(), fcntl.LOCK_EX)
            try:
                self._reload()
                txn = Txn(self._data, self._views if read_only else None)
                try:
                    yield txn
                except BaseException:
                    self._stamp = None  # the body may have half-changed the data: reload next time
                    raise
                if txn.wrote:
                    self._save()
            finally:
                fcntl.flock(lock_fh.fileno(), fcntl.LOCK_UN)
        return txn

    def snapshot(self) -> dict[str, Any]:
        with self.transaction(read_only=True) as txn:
            return copy.deepcopy(txn.data)

    def _reload(self) -> None:
        assert self._dir is not None
        path = self._dir / STORE_FILE
        try:
            st = path.stat()
        except FileNotFoundError:
            if self._stamp is not None:
                self._data = empty_store()  # someone removed the directory's store: start afresh
                self._views.clear()
            self._stamp = None
            return
        stamp = file_stamp(st)
        if stamp == self._stamp:
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise StoreError(f"sandbox store {path} is not readable JSON; remove it to start afresh") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise StoreError(f"sandbox store {path} has an unknown format; remove it to start afresh")
        base = empty_store()
        for key in ("ice", "tencent"):
            base[key].update(data.get(key) or {})
        data.update({k: base[k] for k in ("ice", "tencent")})
        self._data, self._stamp = data, stamp
        self._views.clear()  # derived from the records just replaced

    def _save(self) -> None:
        assert self._dir is not None
        path = self._dir / STORE_FILE
        atomic_write_json(path, self._data)
        self._stamp = file_stamp(path.stat())
