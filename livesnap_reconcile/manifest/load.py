"""Manifest loading: files and directories -> one merged configuration with line marks.

Owns which files make up a configuration (a file, or every ``*.yaml``/``*.yml`` directly inside a
directory), merging them section by section, and the manifest digest that saved plans carry.
A name defined in two files, or ``version``/``namespace`` values that disagree, are errors naming
both places. It does not judge the content (that is `validate`) and does not expand it (that is
`expand`); YAML details live in `yamlfile`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from livesnap_reconcile.errors import ManifestError
from livesnap_reconcile.manifest.diagnostics import Diagnostic, ManifestPath, format_path, sort_diagnostics
from livesnap_reconcile.manifest.yamlfile import Mark, ParsedFile, parse_bytes, parse_file

SECTIONS = ("providers", "templates", "streams")
SINGLE_VALUES = ("version", "namespace")
_KIND = {"providers": "provider", "templates": "template", "streams": "stream"}
_NO_MARKS: Mapping[ManifestPath, Mark] = MappingProxyType({})


class LoadedManifest(NamedTuple):
    """The merged plain data of a configuration and where each value came from.

    ``data`` holds only YAML scalars, lists and dicts (timestamps stay strings); defaults are
    not filled in. ``warnings`` is set by `validate.load_and_validate`.
    """

    data: dict[str, Any]
    files: tuple[Path, ...]
    contents: tuple[bytes, ...]  # each file's bytes, in file order
    marks: Mapping[ManifestPath, Mark] = _NO_MARKS
    key_marks: Mapping[ManifestPath, Mark] = _NO_MARKS
    warnings: tuple[Diagnostic, ...] = ()

    @property
    def digest(self) -> str:
        """sha256 over each file's length and bytes, in file order: any edit changes it."""
        import hashlib  # plan and apply need it, validate does not: OpenSSL costs it 3 ms to start

        digest = hashlib.sha256()
        for raw in self.contents:
            digest.update(f"{len(raw)}\n".encode())
            digest.update(raw)
        return digest.hexdigest()

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
    """Load and merge ``paths``; raise `ManifestError` listing every YAML or structure problem.

    Files are parsed without line marks first: a valid configuration needs them only if a later
    check reports a problem, and then `LoadedManifest.marks` parses the same bytes again with
    marks. A problem found here is reported from a parse with marks right away.
    """
    files, errors = _collect(paths)
    parsed = [parse_file(path, str(path), marks=False) for path in files]
    if not errors and not any(item.errors for item in parsed):
        merged = _Merger()
        try:
            for item in parsed:
                merged.add(item)
        except _Unlocated:
            pass  # a merge problem: report it from the marked parse below
        else:
            sources = _LazyMarks([(item.raw, item.display) for item in parsed])
            return LoadedManifest(data=merged.data, files=tuple(files), contents=tuple(item.raw for item in parsed),
                                  marks=sources.table(0), key_marks=sources.table(1))
    parsed = [parse_bytes(item.raw, item.display) if item.raw and not item.errors else item for item in parsed]
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
    return LoadedManifest(data=merged.data, files=tuple(files), contents=tuple(item.raw for item in parsed),
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


class _Unlocated(Exception):
    """A merge problem in files parsed without marks: it needs them to be reported."""


class _LazyMarks:
    """The mark tables of a configuration loaded without marks, made on first use from its bytes."""

    def __init__(self, sources: list[tuple[bytes, str]]) -> None:
        self._sources = sources
        self._tables: tuple[dict[ManifestPath, Mark], dict[ManifestPath, Mark]] | None = None

    def tables(self) -> tuple[dict[ManifestPath, Mark], dict[ManifestPath, Mark]]:
        if self._tables is None:
            merged = _Merger()
            for raw, display in self._sources:
                merged.add(parse_bytes(raw, display))  # the bytes parsed once already: no new problem
            self._tables, self._sources = (merged.marks, merged.key_marks), []
        return self._tables

    def table(self, index: int) -> Mapping[ManifestPath, Mark]:
        return _Table(self, index)


class _Table(Mapping[ManifestPath, Mark]):
    def __init__(self, marks: _LazyMarks, index: int) -> None:
        self._marks, self._index = marks, index

    def __getitem__(self, path: ManifestPath) -> Mark:
        return self._marks.tables()[self._index][path]

    def __iter__(self) -> Iterator[ManifestPath]:
        return iter(self._marks.tables()[self._index])

    def __len__(self) -> int:
        return len(self._marks.tables()[self._index])


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
            self._error(item.marks.get((key,)), (key,), f"{key} must be a mapping of names to definitions")
            return
        target = self.data.setdefault(key, {})
        for name, body in value.items():
            if name in target:
                first, here = self.key_marks.get((key, name)), item.key_marks.get((key, name))
                if first is None or here is None:
                    raise _Unlocated(f"{_KIND[key]} {name!r} is defined twice")
                self._error(here, (key, name), f"{_KIND[key]} {name!r} is defined twice: "
                            f"{first[0]}:{first[1]} and {here[0]}:{here[1]}")
                continue
            target[name] = body

    def _same_value(self, item: ParsedFile, key: str, value: object) -> None:
        if self.data[key] != value and key in SINGLE_VALUES:
            first, here = self.key_marks.get((key,)), item.key_marks.get((key,))
            if first is None or here is None:
                raise _Unlocated(f"{key} disagrees")
            self._error(here, (key,), f"{key} {value!r} disagrees with {self.data[key]!r} at "
                        f"{first[0]}:{first[1]} (all files of one configuration must agree)")

    def _error(self, mark: Mark | None, path: ManifestPath, message: str) -> None:
        if mark is None:
            raise _Unlocated(message)
        self.errors.append(Diagnostic("error", mark[0], mark[1], mark[2], format_path(path), message))
