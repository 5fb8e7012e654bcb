"""The PostgreSQL lock across real processes: a waiter reads the holder's record, and a SIGKILLed
holder frees the lock without force-unlock (PostgreSQL ends its session, and the advisory lock
with it). Holders are child processes (tests/state/holder_script.py) given the state URL."""

from __future__ import annotations

import signal
import time

import pytest

from livesnap_reconcile.errors import StateLocked
from livesnap_reconcile.state.select import open_backend
from tests.state.helpers import Holder, run_script


@pytest.fixture
def holder(pg_url):
    h = Holder(pg_url, operation="apply")
    yield h
    h.finish()


def test_another_process_is_told_who_holds_the_lock(pg_url, holder):
    answer = run_script("try", pg_url, "plan", "0.3")
    assert answer["ok"] is False
    assert f"(pid {holder.proc.pid}, apply, since " in answer["message"]
    assert holder.info["id"] in answer["message"]
    assert answer["lock_info"] == holder.info
    assert open_backend(pg_url).current_lock().pid == holder.proc.pid


def test_a_sigkilled_holder_frees_the_lock(pg_url, holder):
    holder.proc.send_signal(signal.SIGKILL)
    holder.proc.wait(10)
    backend = open_backend(pg_url)
    deadline = time.monotonic() + 10  # the server notices the closed socket at once, but asynchronously
    while True:
        try:
            info = backend.lock(operation="apply", timeout=0.5)
            break
        except StateLocked:
            assert time.monotonic() < deadline, "the dead holder's lock was not released"
    assert backend.current_lock() == info
    backend.unlock(info)
    assert open_backend(pg_url).current_lock() is None


def test_serials_written_by_several_processes_never_collide(pg_url):
    serials = [run_script("bump", pg_url)["serial"] for _ in range(3)]
    assert serials == [1, 2, 3]
