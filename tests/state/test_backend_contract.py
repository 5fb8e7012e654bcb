"""The backend contract of `state/backend.py`, run against the local file and PostgreSQL alike.

What we test here: no state reads as None; each write bumps the serial and reads back equal;
a stale writer (serial moved), a second first writer and another lineage are refused and change
nothing; the lock names its holder to a waiter, honours the timeout, is one per backend and is
released by `locked` even on errors; `restore` keeps lineage and serial and refuses another
lineage or a target that is ahead; history offers the versions it keeps.
"""

from __future__ import annotations

import pytest

from livesnap_reconcile.errors import StateCorrupt, StateError, StateLocked, StateStale
from livesnap_reconcile.state import State, StateBackend, locked
from tests.state.backends import KINDS, close_all, location_for, opener
from tests.state.helpers import FakeClock, entry, sample_state


@pytest.fixture(params=KINDS)
def make(request, tmp_path):
    factory = opener(location_for(request, tmp_path))
    yield factory
    close_all(factory)


def test_satisfies_the_protocol_and_starts_empty(make):
    backend = make()
    assert isinstance(backend, StateBackend)
    assert backend.read() is None
    assert backend.current_lock() is None


def test_each_write_bumps_the_serial_and_reads_back_equal(make):
    backend = make()
    first = backend.write(sample_state())
    second = backend.write(first.with_entry(entry("template.more", remote_id="tpl-9")))
    assert (first.serial, second.serial) == (1, 2)
    assert make().read() == second


def test_a_stale_writer_is_refused_and_changes_nothing(make):
    make().write(sample_state())
    one, two = make(), make()
    seen_by_one, seen_by_two = one.read(), two.read()
    written = one.write(seen_by_one.with_entry(entry("template.a", remote_id="a")))
    with pytest.raises(StateStale, match="written by another process"):
        two.write(seen_by_two.with_entry(entry("template.b", remote_id="b")))
    assert make().read() == written


def test_a_second_first_writer_is_refused(make):
    one, two = make(), make()
    assert one.read() is None and two.read() is None
    written = one.write(State.new())
    with pytest.raises(StateStale, match="another run"):
        two.write(sample_state())
    assert make().read() == written


def test_another_lineage_is_refused(make):
    written = make().write(sample_state())
    stranger = State.new().with_entry(entry())
    with pytest.raises(StateCorrupt, match="another state"):
        make().write(type(stranger)(format_version=1, lineage=stranger.lineage, serial=written.serial,
                                    resources=stranger.resources))
    assert make().read() == written


def test_a_waiter_is_told_who_holds_the_lock_after_the_timeout(make):
    holder = make(who="alice@host-a")
    clock = FakeClock()
    waiter = make(clock=clock.clock, sleep=clock.sleep)
    with locked(holder, operation="apply", timeout=1) as info:
        assert waiter.current_lock() == info
        with pytest.raises(StateLocked) as caught:
            waiter.lock(operation="plan", timeout=2)
        assert sum(clock.sleeps) == pytest.approx(2)
        assert "alice@host-a" in str(caught.value) and info.id in str(caught.value)
        assert caught.value.lock_info == info.to_dict()
    assert waiter.current_lock() is None
    got = waiter.lock(operation="plan", timeout=0)
    waiter.unlock(got)


def test_timeout_zero_tries_once(make):
    clock = FakeClock()
    with locked(make(), operation="apply", timeout=1):
        with pytest.raises(StateLocked):
            make(clock=clock.clock, sleep=clock.sleep).lock(operation="plan", timeout=0)
    assert clock.sleeps == []


def test_one_lock_per_backend_and_unlock_checks_the_id(make):
    backend = make()
    info = backend.lock(operation="apply", timeout=1)
    with pytest.raises(StateError, match="already holds"):
        backend.lock(operation="apply", timeout=0)
    other = make().lock  # a second handle cannot take it either
    with pytest.raises(StateLocked):
        other(operation="plan", timeout=0)
    with pytest.raises(StateError, match="does not hold"):
        backend.unlock(type(info)(id="nope", who="x", pid=1, operation="x", created="x"))
    backend.unlock(info)


def test_locked_releases_when_the_block_raises(make):
    backend = make()
    with pytest.raises(RuntimeError), locked(backend, operation="apply", timeout=1):
        raise RuntimeError("boom")
    assert make().current_lock() is None


def test_force_unlock_with_a_wrong_id_is_refused(make):
    backend = make()
    with locked(backend, operation="apply", timeout=1):
        with pytest.raises(StateError, match="does not match"):
            make().force_unlock("not-the-id")


def test_restore_keeps_lineage_and_serial_and_refuses_another_lineage_or_an_older_copy(make):
    source = make().write(sample_state())
    source = make().write(source)  # serial 2
    target = make()
    assert target.restore(source) == source  # same content again: a no-op
    with pytest.raises(StateStale):
        target.restore(State.from_dict({**source.to_dict(), "serial": 1}))
    with pytest.raises(StateCorrupt, match="another state"):
        target.restore(State.new().with_entry(entry()))
    assert make().read() == source


def test_restore_into_an_empty_backend_keeps_the_serial(make, tmp_path):
    from livesnap_reconcile.state import LocalBackend

    elsewhere = LocalBackend(tmp_path / "other.json")
    source = elsewhere.write(elsewhere.write(sample_state()))
    assert make().restore(source) == source
    assert make().read() == source
    assert make().write(source).serial == 3


def test_history_offers_the_current_version(make):
    backend = make()
    first = backend.write(sample_state())
    second = backend.write(first.with_entry(entry("template.more", remote_id="tpl-9")))
    versions = make().history()
    assert [v.serial for v in versions][:2] == [2, 1]
    assert versions[0].resources == 3 and versions[0].lineage == second.lineage
    assert make().read_serial(1) == first
    assert make().read_serial(2) == second
    assert make().read_serial(99) is None
