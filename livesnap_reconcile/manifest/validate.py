"""Manifest validation: every problem of a loaded manifest, located and sorted.

Owns the order of the checks and the de-duplication between them: secret-looking keys first
(they are refused, not called unknown), then the JSON Schema (structure, types, vendor-neutral
ranges), then the semantic rules (vendor-specific ranges, references, times). A semantic problem
at a path the schema already complained about is dropped, so one mistake gives one message.
It reads no clock (``now`` is a parameter) and never expands the manifest.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from livesnap_reconcile.errors import ManifestError
from livesnap_reconcile.manifest import credentials, semantic
from livesnap_reconcile.manifest.diagnostics import Diagnostic, format_path, sort_diagnostics
from livesnap_reconcile.manifest.load import LoadedManifest, load_manifest
from livesnap_reconcile.manifest.schema import schema_diagnostics, schema_valid

__all__ = ["Diagnostic", "LoadedManifest", "load_and_validate", "validate"]


def validate(loaded: LoadedManifest, *, now: datetime | None = None) -> list[Diagnostic]:
    """Errors and warnings of ``loaded``, sorted by file and line.

    Past windows and schedules are reported as warnings only when ``now`` is given.
    """
    found: list[Diagnostic] = []
    # The schema names every field key and admits no other outside the name maps (a test holds it
    # to that, and to naming no secret-looking field), so a document it accepts has no secret key:
    # the walk that finds them is needed only for one it refuses.
    schema_accepts = schema_valid(loaded.data)
    secret_paths = frozenset() if schema_accepts else frozenset(credentials.secret_key_paths(loaded.data))
    for path in secret_paths:
        found.append(_at(loaded, path, credentials.MESSAGE, on_key=True))
    schema_found = [] if schema_accepts else schema_diagnostics(loaded.data, loaded.locate, skip_keys=secret_paths)
    found.extend(schema_found)
    # A missing key is a problem of the containing object, not of a value: it must not hide
    # other (semantic) problems of that object.
    reported = {d.path for d in schema_found if not d.message.startswith("missing required key")}
    reported |= {format_path(p) for p in secret_paths}
    for path, message, severity, on_key in semantic.check(loaded.data, now=now):
        if format_path(path) not in reported:
            found.append(_at(loaded, path, message, on_key=on_key, severity=severity))
    return sort_diagnostics(d for d in found if not _explained_by_typo(d, found))


def load_and_validate(paths: Sequence[str | Path], *, now: datetime | None = None) -> LoadedManifest:
    """Load and validate; raise `ManifestError` with every error, return warnings on the result."""
    loaded = load_manifest(paths)
    diagnostics = validate(loaded, now=now)
    errors = [d for d in diagnostics if d.is_error]
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ManifestError(f"invalid manifest: {errors[0]}{more}", diagnostics=errors)
    return loaded._replace(warnings=tuple(d for d in diagnostics if not d.is_error))


def _explained_by_typo(diagnostic: Diagnostic, found: list[Diagnostic]) -> bool:
    """A missing key that is reported as misspelt in the same mapping ("did you mean 'interval'?")."""
    message = diagnostic.message
    if not (message.startswith("missing required key ") or " need " in message):
        return False
    wanted = set(re.findall(r"'([a-z_]+)'", message))
    prefix = diagnostic.path + "." if diagnostic.path else ""
    for other in found:
        hint = re.search(r"did you mean '([a-z_]+)'\?$", other.message)
        if hint and hint.group(1) in wanted and other.path.startswith(prefix) \
                and other.path.count(".") == prefix.count("."):
            return True
    return False


def _at(loaded: LoadedManifest, path: tuple, message: str, *, on_key: bool = False,
        severity: str = "error") -> Diagnostic:
    file, line, column = loaded.locate(path, key=on_key)
    return Diagnostic(severity, file, line, column, format_path(path), message)  # type: ignore[arg-type]
