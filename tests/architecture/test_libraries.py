"""Each third-party library stays in the layer DESIGN.md §9 gives it.

What we test here: every direct import of yaml, jsonschema, httpx, deepdiff, click and psycopg
anywhere in the package, lazy ones included, sits in a layer allowed to use it. import-linter
checks the same for the libraries already in the import graph; this table also guards libraries
that are not imported yet (psycopg), which import-linter cannot name before they exist.
"""

from __future__ import annotations

import ast

from tests.architecture.test_purity import PACKAGE, imported_modules

ALLOWED_LAYERS = {
    "yaml": {"manifest"},
    "jsonschema": {"manifest", "plan"},  # plan: saved plan documents are checked against their schema
    "httpx": {"providers", "emulator"},
    "deepdiff": {"plan"},
    "click": {"cli"},
    "psycopg": {"state"},
}


def misplaced(source: str, layer: str, where: str) -> list[str]:
    found = []
    for name in sorted(imported_modules(ast.parse(source))):
        library = name.split(".")[0]
        if library in ALLOWED_LAYERS and layer not in ALLOWED_LAYERS[library]:
            found.append(f"{where}: {layer} imports {library} (allowed in {sorted(ALLOWED_LAYERS[library])})")
    return found


def test_libraries_stay_in_their_layers():
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        layer = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        problems += misplaced(path.read_text(encoding="utf-8"), layer, str(rel))
    assert problems == []


def test_a_misplaced_import_is_reported():
    assert misplaced("def f():\n    import psycopg\n", "plan", "plan/x.py") == [
        "plan/x.py: plan imports psycopg (allowed in ['state'])"]
    assert misplaced("from yaml import safe_load\n", "state", "state/x.py")
    assert misplaced("import httpx\n", "providers", "providers/x.py") == []
