"""DESIGN.md §9 made executable: planning and expansion are pure, and stay pure.

What we test here: every module reachable from the pure roots (`manifest.expand`, `plan.planner`,
`plan.compare`), following the package's own imports including lazy ones inside functions, imports
no I/O, clock, randomness or process library and calls no clock, ``open``, ``print`` or dynamic
import. The checker itself is tested on small sources, so a planted ``import httpx`` or
``time.time()`` is proven to fail the suite, wherever in the closure it is planted.
import-linter covers the package-level rules (`pyproject.toml`); this covers what it cannot see:
modules added later to the closure and calls rather than imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "livesnap_reconcile"
PURE_ROOTS = ("livesnap_reconcile.manifest.expand", "livesnap_reconcile.plan.planner",
              "livesnap_reconcile.plan.compare")
IMPURE_LIBRARIES = frozenset({
    "asyncio", "click", "http", "httpx", "io", "jsonschema", "logging", "multiprocessing", "os", "pathlib",
    "psycopg", "random", "requests", "secrets", "shutil", "signal", "socket", "sqlite3", "subprocess", "sys",
    "tempfile", "threading", "time", "urllib", "uuid", "yaml",
})
CLOCK_METHODS = frozenset({"now", "utcnow", "today", "time", "monotonic", "perf_counter", "time_ns"})
IMPURE_BUILTINS = frozenset({"open", "print", "input", "__import__", "exec", "eval", "breakpoint"})


def module_file(name: str, package: Path) -> Path | None:
    rel = Path(*name.split(".")[1:])
    for candidate in (package / rel.with_suffix(".py"), package / rel / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def imported_modules(tree: ast.AST) -> set[str]:
    """Every absolute module an AST imports, at any depth (lazy imports count)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def violations(source: str, where: str) -> list[str]:
    """What makes one module impure, as ``where:line: reason`` strings."""
    tree = ast.parse(source)
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                if name.split(".")[0] in IMPURE_LIBRARIES:
                    problems.append(f"{where}:{node.lineno}: imports {name}")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in CLOCK_METHODS:
                problems.append(f"{where}:{node.lineno}: reads a clock ({ast.unparse(func)}())")
            elif isinstance(func, ast.Name) and func.id in IMPURE_BUILTINS:
                problems.append(f"{where}:{node.lineno}: calls {func.id}()")
    return problems


def pure_closure(package: Path = PACKAGE) -> dict[str, Path]:
    """The pure roots and every package module they import, transitively."""
    seen: dict[str, Path] = {}
    pending = list(PURE_ROOTS)
    while pending:
        name = pending.pop()
        path = module_file(name, package)
        if name in seen or path is None:
            continue
        seen[name] = path
        tree = ast.parse(path.read_text(encoding="utf-8"))
        pending.extend(m for m in imported_modules(tree) if m.startswith("livesnap_reconcile."))
    return seen


def test_the_closure_is_what_we_think_it_is():
    closure = pure_closure()
    assert set(PURE_ROOTS) <= set(closure)
    assert {"livesnap_reconcile.vendors.tencent.expand", "livesnap_reconcile.vendors.alibaba.expand",
            "livesnap_reconcile.core.schedule", "livesnap_reconcile.vendors.tencent.task"} <= set(closure)


def test_pure_modules_do_no_io_and_read_no_clock():
    problems = [p for name, path in sorted(pure_closure().items())
                for p in violations(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE.parent)))]
    assert problems == []


@pytest.mark.parametrize("planted, reason", [
    ("import httpx\n", "imports httpx"),
    ("from time import time as clock\n", "imports time"),
    ("def f():\n    import os\n    return os.environ\n", "imports os"),
    ("import time\nstamp = time.time()\n", "reads a clock (time.time())"),
    ("from datetime import datetime\ndef f():\n    return datetime.now()\n", "reads a clock (datetime.now())"),
    ("from datetime import date\ntoday = date.today()\n", "reads a clock (date.today())"),
    ("def f(p):\n    return open(p).read()\n", "calls open()"),
    ("m = __import__('socket')\n", "calls __import__()"),
])
def test_the_checker_catches_a_planted_impurity(planted: str, reason: str):
    source = (PACKAGE / "vendors" / "tencent" / "expand.py").read_text(encoding="utf-8") + "\n" + planted
    problems = violations(source, "expand.py")
    assert any(reason in p for p in problems), problems


def test_a_module_newly_imported_by_a_pure_one_joins_the_closure(tmp_path: Path):
    fake = tmp_path / "livesnap_reconcile"
    for path in PACKAGE.rglob("*.py"):
        target = fake / path.relative_to(PACKAGE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    helper = fake / "manifest" / "expand_clockwork.py"
    helper.write_text('"""A planted helper."""\nimport time\n\ndef stamp():\n    return time.time()\n')
    tasks = fake / "vendors" / "tencent" / "expand.py"
    tasks.write_text(tasks.read_text() + "\nfrom livesnap_reconcile.manifest.expand_clockwork import stamp\n")
    closure = pure_closure(fake)
    assert "livesnap_reconcile.manifest.expand_clockwork" in closure
    problems = [p for path in closure.values() for p in violations(path.read_text(), path.name)]
    assert any("expand_clockwork.py" in p and "imports time" in p for p in problems)
