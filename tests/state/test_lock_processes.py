"""The lock across real processes: contention, a SIGKILLed holder, force-unlock of a hung one.

Each holder is a child process (tests/state/holder_script.py) that keeps the lock until told to
release it or killed. Timeouts are a fraction of a second.
"""

from __future__ import annotations

import signal
import threading
import time

import pytest

from livesnap_reconcile.errors import StateLocked
from livesnap_reconcile.state import LocalBackend
from tests.state.helpers import Holder, run_script


@pytest.fixture
def path(tmp_path):
    return tmp_path / ".livesnap" / "state.json"


@pytest.fixture
def holder(path):
    h = Holder(path, operation="apply")
    yield h
    h.finish()


def test_a_second_process_waits_then_fails_naming_the_holder(path, holder):
    answer = run_script("try", str(path), "plan", "0.3")
    assert answer["ok"] is False
    assert f"(pid {holder.proc.pid}, apply, since " in answer["message"]
    assert f"livesnap force-unlock {holder.info['id']}" in answer["message"]
    assert answer["lock_info"] == holder.info


def test_the_waiter_in_this_process_gets_the_lock_once_the_holder_releases(path, holder):
    with pytest.raises(StateLocked, match=f"pid {holder.proc.pid}"):
        LocalBackend(path).lock(operation="plan", timeout=0.3)
    got = {}
    waiter = threading.Thread(target=lambda: got.update(info=LocalBackend(path).lock(operation="plan", timeout=30)))
    waiter.start()
    time.sleep(0.2)  # not join(0.2): a timed join never returns under libfaketime's shifted clock
    assert waiter.is_alive() and not got  # still waiting while the holder holds it
    holder.release()
    waiter.join(30)
    assert got["info"].operation == "plan"
    assert LocalBackend(path).current_lock() == got["info"]


def test_a_sigkilled_holder_frees_the_lock(path, holder):
    assert LocalBackend(path).current_lock().pid == holder.proc.pid
    holder.proc.send_signal(signal.SIGKILL)
    holder.proc.wait(10)
    lock_file = path.parent / "state.json.lock"
    assert lock_file.exists()  # the dead holder's info is left behind ...
    backend = LocalBackend(path)
    assert backend.current_lock() is None  # ... but nobody holds the lock
    info = backend.lock(operation="apply", timeout=0)
    assert LocalBackend(path).current_lock() == info


def test_force_unlock_frees_a_hung_holder_and_its_late_unlock_is_harmless(path, holder):
    admin = LocalBackend(path)
    admin.force_unlock(holder.info["id"])
    mine = admin.lock(operation="apply", timeout=0)
    holder.release()  # the hung process wakes up and unlocks: it must not remove our lock
    assert LocalBackend(path).current_lock() == mine
    assert run_script("try", str(path), "plan", "0")["ok"] is False
    admin.unlock(mine)
    assert run_script("try", str(path), "plan", "0") == {"ok": True}
