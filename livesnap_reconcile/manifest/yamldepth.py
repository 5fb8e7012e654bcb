"""How deeply a YAML text nests, measured by our own scanner before any YAML library sees it.

libyaml's composer recurses without a guard and newer PyYAML releases refuse deep nesting with
their own wording, so the limit and its message must not depend on which parser is installed.
`deepest_point` reads the text once, line by line, and reports the first place where the number
of open collections (block mappings and lists by indentation, flow ``[`` / ``{`` by brackets)
passes a limit. It never over-counts a well-formed document: quoted strings, comments, block
scalars (``|`` / ``>``) and plain-scalar continuation lines open nothing, so a legitimate
manifest is never refused; an unusual construct it does not recognise is simply counted low, and
the exact depth check after composing still catches it.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Indentation, then any "- " / "? " / ": " indicators of compact block collections.
_LINE = re.compile(r"( *)((?:[-?:](?: +|$))*)")
# A plain key up to its ": " (or ":" at the end of the line); quoted keys are handled apart.
_PLAIN_KEY = re.compile(r"(?:[^\s#'\"\[\]{},&*!|>%@`?:-]|[?:-](?=\S))(?:[^\s:]|:(?=\S)|[ \t]+(?![ \t]|#|$))*?[ \t]*:(?: |$)")
_PROPERTIES = re.compile(r"(?:[&!]\S*\s*)*")  # anchors and tags before a node
_HEADER = re.compile(r"[|>][-+0-9]*\s*(?:#.*)?$")  # a block scalar header ends its line
_DOCUMENT = re.compile(r"(?:---|\.\.\.)(?:\s|$)")


class _Open(NamedTuple):
    column: int
    kind: str  # "map" or "seq"


class _Scan:
    """Where one scan of a document stands, line by line."""

    __slots__ = ("limit", "stack", "flow", "quote", "scalar_parent", "expect_child", "found")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.stack: list[_Open] = []
        self.flow = 0
        self.quote = ""  # the quote character of a quoted scalar that continues on the next line
        self.scalar_parent: int | None = None  # lines indented deeper than this belong to a block scalar
        self.expect_child = False  # the last line ended with "key:" or "-" and no value
        self.found: tuple[int, int] | None = None


def deepest_point(text: str, limit: int) -> tuple[int, int] | None:
    """(line, column), 1-based, where more than ``limit`` collections are open; None if never."""
    scan = _Scan(limit)
    for number, line in enumerate(text.splitlines(), 1):
        _line(scan, number, line.rstrip("\r"))
        if scan.found:
            return scan.found
    return None


def _line(scan: _Scan, number: int, line: str) -> None:
    if scan.quote or scan.flow:
        _inline(scan, number, line, 0)
        return
    stripped = line.lstrip(" ")
    indent = len(line) - len(stripped)
    if scan.scalar_parent is not None:
        if not stripped or indent > scan.scalar_parent:
            return
        scan.scalar_parent = None
    if not stripped or stripped.startswith("#"):
        return
    if indent == 0 and (_DOCUMENT.match(line) or line.startswith("%")):
        scan.stack.clear()
        scan.expect_child = False
        return
    if scan.stack and indent > _innermost(scan) and not scan.expect_child:
        return  # a continuation line of a multi-line plain scalar
    scan.expect_child = False
    _close_deeper(scan, indent)
    match = _LINE.match(line)
    assert match is not None  # the pattern matches the empty string
    column = indent
    for indicator in re.finditer(r"([-?:])( *)", match.group(2)):
        kind = "seq" if indicator.group(1) == "-" else "map"
        _enter(scan, column, kind, number)
        column += len(indicator.group(0))
    if scan.found:
        return
    rest = line[column:]
    if not rest:
        scan.expect_child = True
        return
    key = _key_length(rest)
    if key:
        _enter(scan, column, "map", number)
        column += key
        column += len(line) - column - len(line[column:].lstrip(" "))
    _value(scan, number, line, column)


def _value(scan: _Scan, number: int, line: str, column: int) -> None:
    properties = _PROPERTIES.match(line, column)
    start = properties.end() if properties else column
    rest = line[start:]
    if not rest or rest.startswith("#"):
        scan.expect_child = True  # "key:" or "- &anchor" with the node on the next lines
    elif rest[0] in "[{'\"":
        _inline(scan, number, line, start)
    elif _HEADER.match(rest):
        scan.scalar_parent = _innermost(scan)


def _key_length(rest: str) -> int:
    """Length of a ``key:`` (plain or quoted) at the start of ``rest``, 0 if it is not a key."""
    if rest[0] in "'\"":
        end = _quoted_end(rest, 1, rest[0])
        if end < 0:
            return 0
        after = rest[end:].lstrip(" ")
        if after.startswith(":") and (len(after) == 1 or after[1] == " "):
            return len(rest) - len(after) + 1
        return 0
    match = _PLAIN_KEY.match(rest)
    return match.end() if match else 0


def _quoted_end(text: str, start: int, quote: str) -> int:
    """Index just past the closing quote, or -1 if the scalar goes on past this line."""
    i = start
    while True:
        i = text.find(quote, i)
        if i < 0:
            return -1
        if quote == "'" and text.startswith("''", i):
            i += 2
        elif quote == '"' and _escaped(text, i):
            i += 1
        else:
            return i + 1


def _escaped(text: str, i: int) -> bool:
    backslashes = len(text[:i]) - len(text[:i].rstrip("\\"))
    return backslashes % 2 == 1


def _inline(scan: _Scan, number: int, line: str, start: int) -> None:
    """Scan flow collections and quoted scalars, which may run over several lines."""
    i = start
    node_start = True  # a quote only opens a scalar where a node may begin
    while i < len(line):
        if scan.quote:
            end = _quoted_end(line, i, scan.quote)
            if end < 0:
                return
            scan.quote, i, node_start = "", end, False
            continue
        char = line[i]
        if char in "'\"" and node_start:
            scan.quote = char
            i += 1
            continue
        if char == "#" and (i == 0 or line[i - 1] in " \t"):
            return
        if char in "[{":
            scan.flow += 1
            if len(scan.stack) + scan.flow > scan.limit:
                _passed(scan, number, i + 1)
                return
        elif char in "]}":
            scan.flow = max(scan.flow - 1, 0)
        if char in "[{,:?":
            node_start = True
        elif char not in " \t":
            node_start = False
        i += 1
        if not scan.flow and not scan.quote:
            return  # the flow node is complete; whatever follows on this line opens nothing


def _innermost(scan: _Scan) -> int:
    return scan.stack[-1].column if scan.stack else -1


def _close_deeper(scan: _Scan, indent: int) -> None:
    while scan.stack and scan.stack[-1].column > indent:
        scan.stack.pop()


def _enter(scan: _Scan, column: int, kind: str, number: int) -> None:
    """The line has an entry of a ``kind`` collection at ``column``: join it or open it."""
    top = scan.stack[-1] if scan.stack else None
    if top and top.column == column and top.kind != kind and kind == "map":
        scan.stack.pop()  # a key at the column of a list that was the value of this mapping's key
        top = scan.stack[-1] if scan.stack else None
    if top and top.column == column and top.kind == kind:
        return
    scan.stack.append(_Open(column, kind))
    if len(scan.stack) > scan.limit:
        _passed(scan, number, column + 1)


def _passed(scan: _Scan, number: int, column: int) -> None:
    if scan.found is None:  # the first place is the one to report
        scan.found = (number, column)
