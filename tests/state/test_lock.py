"""The local backend's lock, within one process (several backends = several open lock files).

What we test here: lock info published in the sibling lock file and removed on unlock; a busy
lock retries with growing backoff up to the timeout, then StateLocked names the holder and carries
its info; stale info with no holder never blocks; unlock/force-unlock refuse wrong ids; the
`locked` context manager releases on errors. Cross-process cases are in test_lock_processes.py.
"""

from __future__ import annotations

import json
import os
import re
import uuid

import pytest

from livesnap_reconcile.errors import StateError, StateLocked
from livesnap_reconcile.state import LocalBackend, LockInfo, locked
from tests.state.helpers import FakeClock, sample_state


@pytest.fixture
def path(tmp_path):
    return tmp_path / ".livesnap" / "state.json"


def test_lock_publishes_info_in_the_sibling_file_and_unlock_removes_it(path):
    clock = FakeClock(start=1_795_000_000.0)
    backend = LocalBackend(path, clock=clock.clock, sleep=clock.sleep, who="alice@host")
    info = backend.lock(operation="apply", timeout=0.3)
    assert uuid.UUID(info.id).version == 4
    assert (info.who, info.pid, info.operation) == ("alice@host", os.getpid(), "apply")
    assert info.created == "2026-11-18T11:06:40Z"
    on_disk = json.loads((path.parent / "state.json.lock").read_text())
    assert LockInfo.from_dict(on_disk) == info
    assert not path.exists()  # the lock never creates or touches the state file
    assert LocalBackend(path).current_lock() == info
    backend.unlock(info)
    assert not (path.parent / "state.json.lock").exists()
    assert LocalBackend(path).current_lock() is None


def test_a_busy_lock_backs_off_until_the_timeout_then_names_the_holder(path):
    holder = LocalBackend(path, who="alice@host")
    held = holder.lock(operation="apply", timeout=0)
    clock = FakeClock()
    waiter = LocalBackend(path, clock=clock.clock, sleep=clock.sleep, who="bob@host")
    with pytest.raises(StateLocked) as caught:
        waiter.lock(operation="plan", timeout=2.0)
    message = str(caught.value)
    assert f"locked by alice@host (pid {os.getpid()}, apply, since {held.created})" in message
    assert f"lock id {held.id}" in message
    assert f"livesnap force-unlock {held.id}" in message
    assert caught.value.lock_info == held.to_dict()
    # Growing delays (the last one only fills up to the deadline), never sleeping past it.
    waits = clock.sleeps[:-1]
    assert len(waits) >= 3 and waits == sorted(waits) and waits[0] < waits[-1]
    assert sum(clock.sleeps) == pytest.approx(2.0)
    holder.unlock(held)
    assert waiter.lock(operation="plan", timeout=0).who == "bob@host"


def test_timeout_zero_tries_once_without_sleeping(path):
    LocalBackend(path).lock(operation="apply", timeout=0)
    clock = FakeClock()
    with pytest.raises(StateLocked):
        LocalBackend(path, clock=clock.clock, sleep=clock.sleep).lock(operation="plan", timeout=0)
    assert clock.sleeps == []


def test_a_waiter_gets_the_lock_once_the_holder_releases_during_the_wait(path):
    holder = LocalBackend(path)
    held = holder.lock(operation="apply", timeout=0)
    clock = FakeClock()

    def sleep(seconds):
        clock.sleep(seconds)
        if len(clock.sleeps) == 3:
            holder.unlock(held)

    waiter = LocalBackend(path, clock=clock.clock, sleep=sleep)
    got = waiter.lock(operation="plan", timeout=30)
    assert len(clock.sleeps) == 3
    assert LocalBackend(path).current_lock() == got


def test_stale_lock_info_without_a_holder_does_not_block(path):
    path.parent.mkdir(parents=True)
    stale = LockInfo.make(who="ghost@gone", pid=999_999, operation="apply", created="2026-01-01T00:00:00Z")
    (path.parent / "state.json.lock").write_text(json.dumps(stale.to_dict()))
    backend = LocalBackend(path)
    assert backend.current_lock() is None
    info = backend.lock(operation="apply", timeout=0)
    assert LocalBackend(path).current_lock() == info


def test_unreadable_holder_info_still_gives_a_clear_message(path):
    holder = LocalBackend(path)
    holder.lock(operation="apply", timeout=0)
    (path.parent / "state.json.lock").write_text("")  # as if the holder had not written it yet
    with pytest.raises(StateLocked, match="locked by another process"):
        LocalBackend(path).lock(operation="plan", timeout=0)


def test_one_backend_holds_one_lock_and_unlock_checks_the_id(path):
    backend = LocalBackend(path)
    info = backend.lock(operation="apply", timeout=0)
    with pytest.raises(StateError, match="already holds"):
        backend.lock(operation="apply", timeout=0)
    other = LockInfo.make(who="x@y", pid=1, operation="apply", created="2026-01-01T00:00:00Z")
    with pytest.raises(StateError, match=f"does not hold lock {other.id}"):
        backend.unlock(other)
    backend.unlock(info)
    with pytest.raises(StateError, match="does not hold"):
        backend.unlock(info)


def test_force_unlock_needs_the_recorded_id(path):
    holder = LocalBackend(path, who="alice@host")
    held = holder.lock(operation="apply", timeout=0)
    admin = LocalBackend(path)
    with pytest.raises(StateError, match=f"does not match the current lock {held.id} held by alice@host"):
        admin.force_unlock("not-the-id")
    assert admin.current_lock() == held
    admin.force_unlock(held.id)
    assert admin.current_lock() is None
    mine = admin.lock(operation="apply", timeout=0)
    # The forced-out holder's late unlock must not remove the new holder's lock.
    holder.unlock(held)
    assert LocalBackend(path).current_lock() == mine
    with pytest.raises(StateLocked):
        LocalBackend(path).lock(operation="plan", timeout=0)


def test_force_unlock_of_an_unlocked_state_says_so(path):
    with pytest.raises(StateError, match="not locked"):
        LocalBackend(path).force_unlock("abc")
    path.parent.mkdir(parents=True)
    stale = LockInfo.make(who="ghost@gone", pid=999_999, operation="apply", created="2026-01-01T00:00:00Z")
    (path.parent / "state.json.lock").write_text(json.dumps(stale.to_dict()))
    with pytest.raises(StateError, match="not locked .*ghost@gone .*exited"):
        LocalBackend(path).force_unlock("abc")
    LocalBackend(path).force_unlock(stale.id)  # the matching id clears the leftover info
    assert not (path.parent / "state.json.lock").exists()


def test_an_unwritable_state_directory_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StateError, match="cannot lock"):
        LocalBackend(blocker / ".livesnap" / "state.json").lock(operation="plan", timeout=0)


def test_locked_releases_when_the_block_raises(path):
    backend = LocalBackend(path)
    with pytest.raises(RuntimeError), locked(backend, operation="apply", timeout=0) as info:
        assert backend.current_lock() == info
        raise RuntimeError("apply failed")
    assert LocalBackend(path).current_lock() is None


def test_lock_and_write_work_together(path):
    backend = LocalBackend(path)
    with locked(backend, operation="apply", timeout=0):
        state = backend.write(sample_state())
    assert LocalBackend(path).read() == state


@pytest.mark.parametrize("bad", [None, [], {"id": "x"}, {"id": "x", "who": "w", "pid": "1",
                                                          "operation": "o", "created": "c"}])
def test_lock_info_from_dict_refuses_what_is_not_lock_info(bad):
    with pytest.raises(ValueError):
        LockInfo.from_dict(bad)


def test_lock_info_round_trip_and_description():
    info = LockInfo.make(who="alice@host", pid=123, operation="apply", created="2026-11-25T03:00:00Z")
    assert LockInfo.from_dict(info.to_dict()) == info
    assert re.fullmatch(r"alice@host \(pid 123, apply, since 2026-11-25T03:00:00Z\)", info.describe())
