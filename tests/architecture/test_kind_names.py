"""Kind knowledge lives in `livesnap_reconcile.vendors`: the modules that ask the specs name no kind.

What we test here: the modules that consult `vendors.spec()` / `vendors.rules()` name no vendor
and branch on no kind (the planning core on no vendor status either), so a new kind needs no edit
in them; the check
catches such a literal when one is planted; and an unknown kind is a loud `UnknownKind` error from
the planner, never a silent fallback to some other kind's rules.
"""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest

import livesnap_reconcile
from livesnap_reconcile.plan.planner import detect_drift, make_plan
from livesnap_reconcile.resources import DesiredState, RemoteObject
from livesnap_reconcile.vendors import UnknownKind, kinds, spec

PACKAGE = Path(livesnap_reconcile.__file__).parent
# Where kinds and vendors may be named: their own folders (knowledge in vendors/<vendor>/, the
# API client in providers/<vendor>/) and the emulator, an independent program playing both vendors.
VENDOR_HOMES = ("vendors/", "emulator/", "providers/alibaba/", "providers/tencent/")
KIND_FREE = tuple(sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")
                         if not p.relative_to(PACKAGE).as_posix().startswith(VENDOR_HOMES)))
# The planning core names no vendor status either; other modules may speak the drift vocabulary.
SPEC_DRIVEN = ("plan/planner.py", "plan/compare.py", "plan/guards.py")
VENDOR_NAMES = {"alibaba", "tencent", "ice", "css"}
STATUS_WORDS = {"started", "paused", "init", "stopped", "running", "finished", "pending"}


def kind_literals(source: str, *, statuses: bool = True) -> list[tuple[int, str]]:
    """Vendor names anywhere; kind (and status) names where code branches or builds on them.

    A kind name as a manifest key or attribute (``snap["template"]``) is the language, not a
    branch: only comparisons (``kind == "job"``, ``kind in ("job", "task")``) and ``kind=``
    arguments count.
    """
    branch_words = set(kinds()) | (STATUS_WORDS if statuses else set())
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            found += [(c.lineno, c.value) for part in (node.left, *node.comparators) for c in ast.walk(part)
                      if isinstance(c, ast.Constant) and c.value in branch_words]
        elif isinstance(node, ast.keyword) and node.arg == "kind":
            found += [(c.lineno, c.value) for c in ast.walk(node.value)
                      if isinstance(c, ast.Constant) and c.value in branch_words]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in VENDOR_NAMES:
            found.append((node.lineno, node.value))
    return sorted(found)


@pytest.mark.parametrize("module", SPEC_DRIVEN)
def test_the_planning_core_names_no_kind_vendor_or_status(module: str):
    assert kind_literals((PACKAGE / module).read_text(encoding="utf-8")) == []


def test_the_scan_covers_the_package():
    assert {"cli/main.py", "manifest/semantic.py", "plan/planner.py", "state/model.py",
            "providers/__init__.py"} <= set(KIND_FREE)


@pytest.mark.parametrize("module", KIND_FREE)
def test_modules_outside_the_vendor_folders_name_no_kind_or_vendor(module: str):
    assert kind_literals((PACKAGE / module).read_text(encoding="utf-8"), statuses=False) == []


def test_the_check_catches_a_planted_kind_name():
    source = (PACKAGE / "plan/planner.py").read_text(encoding="utf-8")
    lines = source.count("\n")
    planted = source + '\nif change.kind == "task":\n    x = Resource(kind="job", provider="tencent")\n'
    assert kind_literals(planted) == [(lines + 2, "task"), (lines + 3, "job"), (lines + 3, "tencent")]


def test_every_registered_kind_has_a_spec_named_after_it():
    assert set(kinds()) >= {"template", "job", "task"}
    assert all(spec(k).kind == k for k in kinds())


def _entry(kind: str) -> SimpleNamespace:
    # Not a StateEntry: the state layer refuses unknown kinds itself, on read.
    return SimpleNamespace(address=f"{kind}.x", kind=kind, provider="p", remote_id="1",
                           attributes={"name": "n"}, protect=False)


def test_an_unknown_kind_is_a_loud_error():
    with pytest.raises(UnknownKind, match="unknown resource kind 'hologram'"):
        spec("hologram")
    state = {"hologram.x": _entry("hologram")}
    with pytest.raises(UnknownKind):
        make_plan(DesiredState("ns", {}, ()), state, [], now=0)
    with pytest.raises(UnknownKind):
        detect_drift(state, [RemoteObject("hologram", "p", "1", {"name": "n"})], now=0)  # type: ignore[arg-type]
