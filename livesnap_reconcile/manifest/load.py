"""Manifest loading: files and directories -> one merged configuration with line marks.

Owns which files make up a configuration (a file, or every ``*.yaml``/``*.yml`` directly inside a
directory), merging them section by section, and the manifest digest that saved plans carry.
A name defined in two files, or ``version``/``namespace`` values that disagree, are errors naming
both places. It does not judge the content (that is `validate`) and does not expand it (that is
`expand`); YAML details live in `yamlfile`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livesnap_reconcile.errors import ManifestError
from livesnap_reconcile.manifest.diagnostics import Diagnostic, ManifestPath, format_path, sort_diagnostics
from livesnap_reconcile.manifest.yamlfile import Mark, ParsedFile, parse_file

SECTIONS = ("providers", "templates", "streams")
SINGLE_VALUES = ("version", "namespace")
_KIND = {"providers": "provider", "templates": "template", "streams": "stream"}


@dataclass(frozen=True)
class LoadedManifest:
    """The merged plain data of a configuration and where each value came from.

    ``data`` holds only YAML scalars, lists and dicts (timestamps stay strings); defaults are
    not filled in. ``warnings`` is set by `validate.load_and_validate`.
    """

    data: dict[str, Any]
    files: tuple[Path, ...]
    digest: str
    marks: Mapping[ManifestPath, Mark] = field(default_factory=dict)
    key_marks: Mapping[ManifestPath, Mark] = field(default_factory=dict)
    warnings: tuple[Diagnostic, ...] = ()

    def mark(self, path: Sequence[str | int]) -> Mark | None:
        """Where the value at ``path`` starts, as (file, line, column), 1-based."""
        return self.marks.get(tuple(path))

    def key_mark(self, path: Sequence[str | int]) -> Mark | None:
        """Where the key naming ``path`` is written (falls back to the value's mark)."""
        return self.key_marks.get(tuple(path)) or self.marks.get(tuple(path))

    def locate(self, path: Sequence[str | int], *, key: bool = False) -> Mark:
        """The mark of ``path`` or of its nearest ancestor that has one; never None."""
        parts = tuple(path)
        while parts:
            found = self.key_mark(parts) if key else self.mark(parts)
            if found:
                return found
            parts = parts[:-1]
        return self.marks.get((), (str(self.files[0]) if self.files else "<manifest>", 1, 1))


def load_manifest(paths: Sequence[str | Path]) -> LoadedManifest:
    """Load and merge ``paths``; raise `ManifestError` listing every YAML or structure problem."""
    files, errors = _collect(paths)
    parsed = [parse_file(path, str(path)) for path in files]
    for item in parsed:
        errors.extend(item.errors)
    merged = _Merger()
    for item in parsed:
        if not item.errors:
            merged.add(item)
    errors.extend(merged.errors)
    if errors:
        errors = sort_diagnostics(errors)
        raise ManifestError(_summary(errors), diagnostics=errors)
    return LoadedManifest(data=merged.data, files=tuple(files), digest=_digest(parsed),
                          marks=merged.marks, key_marks=merged.key_marks)


def _summary(errors: list[Diagnostic]) -> str:
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"invalid manifest: {first}{more}"


def _collect(paths: Sequence[str | Path]) -> tuple[list[Path], list[Diagnostic]]:
    """The files named by ``paths``: files as given, directories' ``*.yaml|*.yml``, no repeats."""
    if isinstance(paths, str | Path):
        paths = [paths]
    found: dict[Path, Path] = {}
    errors: list[Diagnostic] = []
    if not paths:
        errors.append(Diagnostic("error", "<manifest>", 1, 1, "", "no manifest path given"))
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml")
                            and p.is_file() and not p.name.startswith("."))
            if not inside:
                errors.append(Diagnostic("error", str(path), 1, 1, "", "directory has no *.yaml or *.yml files"))
            for item in inside:
                found.setdefault(item.resolve(), item)
        elif path.is_file():
            found.setdefault(path.resolve(), path)
        else:
            errors.append(Diagnostic("error", str(path), 1, 1, "", "no such file or directory"))
    return sorted(found.values(), key=str), errors


def _digest(parsed: list[ParsedFile]) -> str:
    """sha256 over each file's length and bytes, in file order: any edit changes it."""
    digest = hashlib.sha256()
    for item in parsed:
        digest.update(f"{len(item.raw)}\n".encode())
        digest.update(item.raw)
    return digest.hexdigest()


class _Merger:
    """Accumulates files section by section; first definition wins, repeats are errors."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.marks: dict[ManifestPath, Mark] = {}
        self.key_marks: dict[ManifestPath, Mark] = {}
        self.errors: list[Diagnostic] = []

    def add(self, item: ParsedFile) -> None:
        assert isinstance(item.data, dict)
        # First file wins for shared paths (section keys, version, namespace); a name defined
        # twice is an error below, so its later marks never describe data we keep.
        for source, target in ((item.marks, self.marks), (item.key_marks, self.key_marks)):
            for path, mark in source.items():
                target.setdefault(path, mark)
        for key, value in item.data.items():
            if key in SECTIONS:
                self._section(item, key, value)
            elif key in self.data:
                self._same_value(item, key, value)
            else:
                self.data[key] = value

    def _section(self, item: ParsedFile, key: str, value: object) -> None:
        if value is None:
            value = {}  # an empty `templates:` line is harmless
        if not isinstance(value, dict):
            self._error(item.marks[(key,)], (key,), f"{key} must be a mapping of names to definitions")
            return
        target = self.data.setdefault(key, {})
        for name, body in value.items():
            if name in target:
                first, here = self.key_marks[(key, name)], item.key_marks[(key, name)]
                self._error(here, (key, name), f"{_KIND[key]} {name!r} is defined twice: "
                            f"{first[0]}:{first[1]} and {here[0]}:{here[1]}")
                continue
            target[name] = body

    def _same_value(self, item: ParsedFile, key: str, value: object) -> None:
        if self.data[key] != value and key in SINGLE_VALUES:
            first, here = self.key_marks[(key,)], item.key_marks[(key,)]
            self._error(here, (key,), f"{key} {value!r} disagrees with {self.data[key]!r} at "
                        f"{first[0]}:{first[1]} (all files of one configuration must agree)")

    def _error(self, mark: Mark, path: ManifestPath, message: str) -> None:
        self.errors.append(Diagnostic("error", mark[0], mark[1], mark[2], format_path(path), message))
