"""Safe YAML parsing of one manifest file into plain data plus a line mark for every value.

Owns the YAML rules of the manifest language: safe tags only (no Python objects), timestamps and
``HH:MM`` values stay strings (YAML 1.1 would turn ``2026-11-25`` into a date and ``19:00`` into the
integer 1140), duplicate keys are errors naming both lines, and hard limits on file size, nesting
and alias expansion so a hostile document is refused before it costs memory or time. Problems are
returned as `Diagnostic` values; this module never raises for bad input. It knows nothing about
manifest sections or merging (that is `load`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from livesnap_reconcile.manifest.diagnostics import Diagnostic, ManifestPath, format_path
from livesnap_reconcile.manifest.yamlevents import plain_data
from livesnap_reconcile.manifest.yamlsyntax import syntax_message

MAX_FILE_BYTES = 5 * 1024 * 1024
# Nodes that aliases may add beyond the document's own nodes; a real manifest needs a handful.
MAX_ALIAS_EXPANSION = 100_000
MAX_DEPTH = 64
_TOO_DEEP = f"YAML nesting is too deep (the limit is {MAX_DEPTH} levels)"

Mark = tuple[str, int, int]  # (file, line, column), 1-based

_TAG = "tag:yaml.org,2002:"
_INT = re.compile(r"""^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$""")
_FLOAT = re.compile(
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"""
    r"""|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"""
)

class _PythonLoader(yaml.SafeLoader):
    """The safe loader with YAML 1.1's surprising implicit types removed (see module docstring)."""


class _LibyamlLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same rules on libyaml, where PyYAML was built with it (the usual wheels are)."""


# Both loaders must give the same results; tests run the corpus with each.
LOADERS: dict[str, Any] = {"libyaml": _LibyamlLoader, "python": _PythonLoader}
_Loader: Any = _LibyamlLoader if getattr(yaml, "__with_libyaml__", False) else _PythonLoader


def _resolvers() -> dict:
    # Keep bool/null/merge; replace int/float by versions without base-60; drop timestamp.
    replaced = {_TAG + "int": _INT, _TAG + "float": _FLOAT}
    table: dict = {}
    for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = [(tag, replaced.get(tag, rx)) for tag, rx in entries if tag != _TAG + "timestamp"]
        if kept:
            table[first] = kept
    return table


for _loader in LOADERS.values():
    _loader.yaml_implicit_resolvers = _resolvers()
_SCALARS = SafeConstructor()


class ParsedFile:
    """One file: its raw bytes (for the digest), plain data, and marks keyed by manifest path
    (empty when parsed without marks)."""

    __slots__ = ("display", "raw", "data", "marks", "key_marks", "errors")

    def __init__(self, display: str, raw: bytes = b"") -> None:
        self.display = display
        self.raw = raw
        self.data: object = None
        self.marks: dict[ManifestPath, Mark] = {}
        self.key_marks: dict[ManifestPath, Mark] = {}
        self.errors: list[Diagnostic] = []


class _Refused(Exception):
    """Raised inside the builder to stop at the first structural problem of a hostile document."""

    def __init__(self, line: int, column: int, message: str, path: ManifestPath = ()) -> None:
        super().__init__(message)
        self.line, self.column, self.message, self.path = line, column, message, path


def parse_file(path: Path, display: str, *, marks: bool = True) -> ParsedFile:
    """Read and parse one file. Every problem lands in ``ParsedFile.errors``; nothing raises.

    Without ``marks`` the line marks of the values are not recorded (problems still carry theirs):
    most loads need none, and at fleet scale they are a third of the parsed data's memory.
    """
    parsed = ParsedFile(display=display)
    try:
        parsed.raw = _read_limited(path)
    except _Refused as exc:
        parsed.errors.append(Diagnostic("error", display, exc.line, exc.column, format_path(exc.path), exc.message))
        return parsed
    return _parse(parsed, marks=marks)


def parse_bytes(raw: bytes, display: str) -> ParsedFile:
    """Parse bytes read earlier by `parse_file`, with marks."""
    return _parse(ParsedFile(display=display, raw=raw), marks=True)


def _parse(parsed: ParsedFile, *, marks: bool) -> ParsedFile:
    display = parsed.display
    try:
        text = _decode(parsed.raw)
        if not marks:
            # Plain documents (nearly all) without a node graph; anything else, and every
            # problem, takes the careful way below, which alone words diagnostics.
            parsed.data = plain_data(text, _Loader, MAX_DEPTH)
            if parsed.data is not None:
                return parsed
        root = _compose(text)
        if root is None:
            raise _Refused(1, 1, "file is empty: expected a mapping with version, namespace and providers")
        if not isinstance(root, MappingNode):
            raise _Refused(*_pos(root), f"the top level must be a mapping of sections "
                           f"(version, namespace, providers, templates, streams), not {_kind(root)}")
        _check_expansion(root)
        parsed.data = _Builder(parsed, marks=marks).build(root, (), 0)
    except _Refused as exc:
        parsed.errors.append(Diagnostic("error", display, exc.line, exc.column, format_path(exc.path), exc.message))
    return parsed


def _read_limited(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _Refused(1, 1, f"file is too large ({size} bytes; the limit is {MAX_FILE_BYTES} bytes)")
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat
    except OSError as exc:
        raise _Refused(1, 1, f"cannot read file: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise _Refused(1, 1, f"file is too large (more than {MAX_FILE_BYTES} bytes)")
    return raw


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = raw[exc.start : exc.start + 1].hex()
        raise _Refused(line, column, f"file is not valid UTF-8 (byte 0x{bad} at offset {exc.start})") from None


def _compose(text: str) -> Node | None:
    from livesnap_reconcile.manifest.yamldepth import deepest_point  # only documents read with marks

    deep = deepest_point(text, MAX_DEPTH)
    if deep:
        raise _Refused(*deep, _TOO_DEEP)
    loader = None
    try:
        loader = _Loader(text)  # the pure-Python reader already checks characters here
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        found = text[mark.index : mark.index + 1] if mark else ""
        raise _Refused(line, column, syntax_message(exc.context, exc.problem, found)) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise _Refused(line, column, f"unacceptable character #x{exc.character:04x} in YAML") from None
    except yaml.YAMLError as exc:
        raise _Refused(1, 1, f"YAML error: {exc}") from None
    except RecursionError:  # a shape the depth scan counts low, nested beyond the parser's stack
        raise _Refused(1, 1, _TOO_DEEP) from None
    finally:
        if loader is not None:
            loader.dispose()


def _check_expansion(root: Node) -> None:
    """Refuse alias cycles and documents whose aliases would expand into too many nodes.

    Sizes are memoised per node, so this costs one pass over the distinct nodes however large
    the expansion would be: a "billion laughs" document is refused in microseconds.
    """
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise _Refused(*_pos(node), "recursive YAML alias: a node contains itself")
        if depth > MAX_DEPTH:
            raise _Refused(*_pos(node), _TOO_DEEP)
        active.add(key)
        total = 1
        if isinstance(node, SequenceNode):
            total += sum(size(child, depth + 1) for child in node.value)
        elif isinstance(node, MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        active.discard(key)
        sizes[key] = total
        return total

    expanded = size(root, 0)
    if expanded - len(sizes) > MAX_ALIAS_EXPANSION:
        raise _Refused(1, 1, f"YAML aliases expand to {expanded} nodes; refusing documents whose aliases "
                       f"add more than {MAX_ALIAS_EXPANSION} nodes")


def _pos(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _kind(node: Node) -> str:
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, MappingNode):
        return "a mapping"
    return "a single value"


class _Builder:
    """Turns the composed node graph into dicts/lists/scalars, recording marks on the way."""

    def __init__(self, parsed: ParsedFile, *, marks: bool = True) -> None:
        self.parsed = parsed
        self.marks = marks

    def mark(self, node: Node) -> Mark:
        return (self.parsed.display, *_pos(node))

    def build(self, node: Node, path: ManifestPath, depth: int) -> object:
        if self.marks:
            self.parsed.marks[path] = self.mark(node)
        if isinstance(node, MappingNode):
            if node.tag != _TAG + "map":
                raise _Refused(*_pos(node), f"unsupported YAML tag {node.tag!r}", path)
            return self._mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            if node.tag != _TAG + "seq":
                raise _Refused(*_pos(node), f"unsupported YAML tag {node.tag!r}", path)
            return [self.build(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return self._scalar(node, path)

    def _mapping(self, node: MappingNode, path: ManifestPath, depth: int) -> dict:
        result: dict[str, object] = {}
        explicit_at: dict[str, str] = {}
        for key_node, value_node, explicit in _pairs(node, path, explicit=True):
            key = _key(key_node, path)
            if explicit and key in explicit_at:
                raise _Refused(*_pos(key_node), f"duplicate key {key!r} (first defined at line "
                               f"{explicit_at[key]})", (*path, key))
            if explicit:
                explicit_at[key] = "{}, column {}".format(*_pos(key_node))
            if key in result:
                continue  # a merged (<<) value never overrides an explicit or earlier one
            if self.marks:
                self.parsed.key_marks[(*path, key)] = self.mark(key_node)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def _scalar(self, node: ScalarNode, path: ManifestPath) -> object:
        tag = node.tag
        if tag in (_TAG + "str", _TAG + "timestamp"):
            return str(node.value)
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            return _SCALARS.construct_yaml_bool(node)
        if tag == _TAG + "int" and _INT.match(node.value):
            return _SCALARS.construct_yaml_int(node)
        if tag == _TAG + "float" and _FLOAT.match(node.value):
            return _SCALARS.construct_yaml_float(node)
        raise _Refused(*_pos(node), f"unsupported YAML tag {tag!r}", path)


def _pairs(node: MappingNode, path: ManifestPath, *, explicit: bool) -> list[tuple[Node, Node, bool]]:
    """Key/value pairs in precedence order: the mapping's own keys, then ``<<`` merges in order.

    Only the mapping's own keys are ``explicit``: a repeated key coming in through a merge is
    legal YAML (the earlier one wins), a repeated key written by hand is a mistake.
    """
    own: list[tuple[Node, Node, bool]] = []
    merged: list[tuple[Node, Node, bool]] = []
    for key_node, value_node in node.value:
        if key_node.tag != _TAG + "merge":
            own.append((key_node, value_node, explicit))
            continue
        sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
        for source in sources:
            if not isinstance(source, MappingNode):
                raise _Refused(*_pos(source), "a merge key '<<' needs a mapping or a list of mappings", path)
            merged.extend(_pairs(source, path, explicit=False))
    return own + merged


def _key(node: Node, path: ManifestPath) -> str:
    if not isinstance(node, ScalarNode):
        raise _Refused(*_pos(node), f"a mapping key must be a plain name, not {_kind(node)}", path)
    return str(node.value)
