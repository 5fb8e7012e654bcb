"""The cyclic collector is paused while a fleet is loaded and expanded, and comes back after.

What we test here: `collector_paused` nests and restores the collector (also after an error),
never turning on a collector that was off; `load_desired` loads and expands inside a pause.
"""

from __future__ import annotations

import gc
from pathlib import Path
from types import SimpleNamespace

import pytest

from livesnap_reconcile.core.collector import collector_paused

EXAMPLE = Path(__file__).parents[2] / "examples" / "manifests" / "newsroom.yaml"


def test_pauses_nest_and_restore_the_collector():
    assert gc.isenabled()
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_load_desired_expands_with_the_collector_paused(monkeypatch):
    from livesnap_reconcile.core.progress import NullProgress
    from livesnap_reconcile.manifest import expand as expand_module
    from livesnap_reconcile.ops.session import load_desired

    seen = []
    real = expand_module.expand
    monkeypatch.setattr(expand_module, "expand", lambda data, now: seen.append(gc.isenabled()) or real(data, now=now))
    loaded, desired = load_desired(SimpleNamespace(paths=[EXAMPLE], progress=NullProgress()), now=1_795_568_400)  # type: ignore[arg-type]
    assert seen == [False] and desired.resources and gc.isenabled()
