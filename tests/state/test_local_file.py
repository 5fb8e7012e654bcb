"""The local backend's file handling.

What we test here: first write creates the directory; serial +1 per write; the on-disk format
(sorted keys, indent 2, trailing newline, mode 0600); the backup; a write that fails at any step
(serialising, fsync, either os.replace) keeps the old file and leaves no temp file; corrupt,
newer-format and other-lineage files are refused on read and never overwritten; a serial moved by
another writer (another backend or another process) is refused.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

import pytest

from livesnap_reconcile.errors import StateCorrupt, StateError, StateLocked, StateStale
from livesnap_reconcile.state import LocalBackend, State, StateBackend
from tests.state.helpers import entry, run_script, sample_state


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "deep" / ".livesnap" / "state.json"


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_local_backend_satisfies_the_protocol(path):
    backend = LocalBackend(path)
    assert isinstance(backend, StateBackend)
    assert str(path) in backend.describe()


def test_missing_file_reads_as_none_and_first_write_creates_the_directory(path):
    backend = LocalBackend(path)
    assert backend.read() is None
    written = backend.write(sample_state())
    assert written.serial == 1
    assert backend.read() == written
    assert not (path.parent / "state.json.backup").exists()


def test_each_write_bumps_the_serial_and_keeps_the_previous_file_as_backup(path):
    backend = LocalBackend(path)
    first = backend.write(sample_state())
    first_bytes = path.read_bytes()
    second = backend.write(first.with_entry(entry("template.more", remote_id="tpl-9")))
    assert (first.serial, second.serial) == (1, 2)
    assert (path.parent / "state.json.backup").read_bytes() == first_bytes
    third = backend.write(second.without("template.more"))
    assert third.serial == 3
    assert State.from_dict(json.loads((path.parent / "state.json.backup").read_text())) == second
    assert LocalBackend(path).read() == third


def test_file_format_is_sorted_indented_with_trailing_newline_and_private(path):
    LocalBackend(path).write(sample_state())
    text = path.read_text()
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("fail_at", ["replace-backup", "replace-state", "fsync", "dumps"])
def test_a_failed_write_keeps_the_old_state_and_leaves_no_temp_file(path, monkeypatch, fail_at):
    backend = LocalBackend(path)
    old = backend.write(sample_state())
    old = backend.write(old)  # serial 2: a backup exists too
    old_bytes, backup_bytes = path.read_bytes(), (path.parent / "state.json.backup").read_bytes()
    calls = {"replace": 0}
    real_replace = os.replace

    def replace(src, dst):
        calls["replace"] += 1
        if (fail_at, calls["replace"]) in {("replace-backup", 1), ("replace-state", 2)}:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst)

    def broken(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", replace)
    if fail_at == "fsync":
        monkeypatch.setattr(os, "fsync", broken)
    if fail_at == "dumps":
        monkeypatch.setattr(json, "dumps", lambda *a, **k: (_ for _ in ()).throw(ValueError("boom")))

    with pytest.raises(StateError, match="previous state is unchanged|cannot serialise"):
        backend.write(old.with_entry(entry("template.new")))
    monkeypatch.undo()

    assert path.read_bytes() == old_bytes
    assert leftovers(path.parent) == []
    if fail_at != "replace-state":  # that one failed after the backup was refreshed (to the same bytes)
        assert (path.parent / "state.json.backup").read_bytes() == backup_bytes
    assert backend.read() == old
    assert backend.write(old).serial == 3  # nothing is wedged


def test_unserialisable_attributes_are_refused_before_touching_the_disk(path):
    backend = LocalBackend(path)
    state = backend.write(sample_state())
    before = path.read_bytes()
    with pytest.raises(StateError, match="cannot serialise"):
        backend.write(state.with_entry(entry(attributes={"when": object()})))
    with pytest.raises(StateError, match="cannot serialise"):
        backend.write(state.with_entry(entry(attributes={"x": float("nan")})))
    assert path.read_bytes() == before and leftovers(path.parent) == []


CORRUPT = {
    "truncated": (b'{"format_version": 1,\n  "lineage": ', "not valid JSON .*line 2 column"),
    "empty": (b"", "not valid JSON .*line 1 column 1"),
    "binary": (b"\xff\xfe\x00", "not UTF-8"),
    "array": (b"[]\n", "top level"),
    "newer": (None, "newer livesnap.*upgrade"),
    "wrong type": (None, "serial must be an integer"),
}


def _corrupt_bytes(name: str, good: dict) -> bytes:
    raw, _ = CORRUPT[name]
    if raw is not None:
        return raw
    doc = dict(good)
    if name == "newer":
        doc["format_version"] = 99
    else:
        doc["serial"] = "1"
    return json.dumps(doc).encode()


@pytest.mark.parametrize("name", sorted(CORRUPT))
def test_an_unusable_file_is_refused_naming_it_and_never_overwritten(path, name):
    good = LocalBackend(path).write(sample_state())
    bad = _corrupt_bytes(name, good.to_dict())
    path.write_bytes(bad)
    backend = LocalBackend(path)
    with pytest.raises(StateCorrupt, match=CORRUPT[name][1]) as caught:
        backend.read()
    assert str(path) in str(caught.value)
    for attempt in (good, State.new(), State.new(lineage=good.lineage)):
        with pytest.raises(StateCorrupt, match="not overwriting"):
            backend.write(attempt)
    # A fresh backend that skipped read() checks the disk itself.
    with pytest.raises(StateCorrupt):
        LocalBackend(path).write(good)
    assert path.read_bytes() == bad
    assert leftovers(path.parent) == []


def test_write_refusal_persists_even_if_the_file_is_repaired_until_read_again(path):
    backend = LocalBackend(path)
    good = backend.write(sample_state())
    good_bytes = path.read_bytes()
    path.write_bytes(b"{")
    with pytest.raises(StateCorrupt):
        backend.read()
    path.write_bytes(good_bytes)
    with pytest.raises(StateCorrupt):
        backend.write(good)
    assert backend.read() == good
    assert backend.write(good).serial == 2


def test_another_lineage_is_refused_and_not_overwritten(path):
    backend = LocalBackend(path)
    mine = backend.write(sample_state())
    before = path.read_bytes()
    other = State.from_dict({**mine.to_dict(), "lineage": "someone-else"})
    with pytest.raises(StateCorrupt, match="another state.*lineage"):
        backend.write(other)
    assert path.read_bytes() == before


def test_a_serial_moved_by_another_writer_is_refused(path):
    mine, theirs = LocalBackend(path), LocalBackend(path)
    mine.write(sample_state())
    seen_by_me, seen_by_them = mine.read(), theirs.read()
    theirs_now = theirs.write(seen_by_them.with_entry(entry("template.theirs")))
    with pytest.raises(StateStale, match="another process.*serial 2.*read 1"):
        mine.write(seen_by_me.with_entry(entry("template.mine")))
    assert mine.read() == theirs_now


def test_a_write_by_another_process_is_detected(path):
    backend = LocalBackend(path)
    seen = backend.write(sample_state())
    assert run_script("bump", str(path)) == {"serial": 2}
    with pytest.raises(StateStale, match="serial 2"):
        backend.write(seen)
    assert backend.read().serial == 2


def test_a_file_created_by_another_run_after_we_found_none_is_refused(path):
    mine = LocalBackend(path)
    assert mine.read() is None
    theirs = LocalBackend(path).write(sample_state())
    with pytest.raises(StateStale, match="created by another run"):
        mine.write(State.new().with_entry(entry("template.mine")))
    assert mine.read() == theirs


def test_a_file_removed_after_it_was_read_is_refused(path):
    backend = LocalBackend(path)
    seen = backend.write(sample_state())
    path.unlink()
    with pytest.raises(StateStale, match="disappeared"):
        backend.write(seen)
    assert not path.exists()


def test_an_unreadable_path_is_a_clear_error(tmp_path):
    path = tmp_path / "state.json"
    path.mkdir()
    with pytest.raises(StateError, match="cannot read state file"):
        LocalBackend(path).read()


def test_commits_in_a_row_do_not_reparse_the_file_they_just_wrote(path, monkeypatch):
    backend = LocalBackend(path)
    state = backend.write(sample_state())
    parsed = []
    real = State.from_dict
    monkeypatch.setattr(State, "from_dict", staticmethod(lambda d: parsed.append(1) or real(d)))
    for i in range(3):
        state = backend.write(state.with_entry(entry(f"template.t{i}")))
    assert parsed == [] and state.serial == 4
    path.write_bytes(path.read_bytes().replace(b'"serial": 4', b'"serial": 5'))  # another writer
    with pytest.raises(StateStale, match="serial 5"):
        backend.write(state)
    assert parsed == [1]


def test_temp_copies_left_by_a_killed_writer_are_removed_by_the_next_locked_write(path):
    backend = LocalBackend(path)
    info = backend.lock(operation="apply", timeout=0)
    try:
        first = backend.write(State.new())
        leftovers = [path.parent / f".{path.name}.abc123.tmp", path.parent / f".{path.name}.backup.def456.tmp"]
        for leftover in leftovers:
            leftover.write_text('{"half": "a state"}')
        backend.write(first)
        assert not any(p.exists() for p in leftovers)
        assert sorted(p.name for p in path.parent.iterdir()) == sorted(
            [path.name, path.name + ".backup", path.name + ".lock"])
    finally:
        backend.unlock(info)


def test_a_symlinked_state_path_is_written_through_the_link_with_one_lock(tmp_path):
    real = tmp_path / "shared" / "state.json"
    real.parent.mkdir()
    link = tmp_path / "state.json"
    link.symlink_to(real)
    via_link, direct = LocalBackend(link), LocalBackend(real)
    info = via_link.lock(operation="apply", timeout=0)
    try:
        via_link.write(State.new())
        assert link.is_symlink() and real.is_file()
        with pytest.raises(StateLocked):
            direct.lock(operation="plan", timeout=0)  # the same file: the same lock
    finally:
        via_link.unlock(info)
    assert direct.read() is not None and (real.parent / "state.json.backup").exists() is False


def test_the_backend_remembers_a_digest_of_what_it_read_not_the_file(path):
    # Tens of MB at fleet scale, held for the whole run only to recognise our own bytes at write.
    backend = LocalBackend(path)
    backend.write(sample_state())
    reader = LocalBackend(path)
    state = reader.read()
    assert state is not None and len(reader._known[0]) == 32 != len(path.read_bytes())
    reader.write(state.with_entry(entry("template.other")))  # our own bytes: no stale refusal
    assert reader.read().serial == state.serial + 1


def test_reading_does_not_hold_the_file_bytes_beside_the_parsed_document(path):
    import tracemalloc

    state = sample_state()
    for i in range(2000):
        state = state.with_entry(entry(f"template.t{i}"))
    LocalBackend(path).write(state)
    size = path.stat().st_size
    reader = LocalBackend(path)
    tracemalloc.start()
    try:
        reader.read()
        peak_read = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        State.from_dict(json.loads(path.read_text(encoding="utf-8")))  # the text and the document
        peak_parse = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    # Reading also builds what parsing does; with the bytes kept alive it costs a whole file more.
    assert peak_read < peak_parse + size * 3 // 4
