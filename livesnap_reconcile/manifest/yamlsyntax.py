"""Our wording for YAML syntax errors, the same whichever PyYAML build or loader found them.

libyaml and PyYAML's pure-Python parser share their parse states ("while parsing a flow
mapping") but word the problem differently ("did not find expected ',' or '}'" against
"expected ',' or '}', but got '<stream end>'"), and patch releases reword them again. A message
is chosen from the parse state, which both agree on; the library's own problem text is used only,
tidied, for states this table does not know.
"""

from __future__ import annotations

import re

_BY_CONTEXT = {
    "while parsing a flow mapping": "a flow mapping '{…}' is not closed, or its entries are not separated by ','",
    "while parsing a flow sequence": "a flow list '[…]' is not closed, or its items are not separated by ','",
    "while parsing a block mapping": "this line does not fit the mapping it is in "
                                     "(check its indentation and the ': ' after the key)",
    "while parsing a block collection": "this line does not fit the list it is in (check its indentation)",
    "while parsing an indentless sequence": "this line does not fit the list it is in (check its indentation)",
    "while parsing a block node": "a value is missing, or starts with a character YAML does not allow there",
    "while parsing a flow node": "a value is missing, or starts with a character YAML does not allow there",
    "expected a single document in the stream": "a second YAML document ('---'): a manifest file holds exactly one",
    "while scanning a quoted scalar": "a quoted string is not closed",
    "while scanning a simple key": "a key is not followed by ':' on the same line",
    "while scanning a block scalar": "a block scalar header ('|' or '>') is malformed",
    "while scanning an anchor": "an anchor name ('&name') must be letters, digits, '-' or '_'",
    "while scanning an alias": "an alias name ('*name') must be letters, digits, '-' or '_'",
    "while scanning a tag": "a YAML tag ('!…') is malformed",
    "while parsing a tag": "a YAML tag ('!…') is malformed",
    "while scanning a directive": "a YAML directive ('%…' at the start of a line) is malformed",
    "while scanning a plain scalar": "an unquoted value contains a character it cannot hold (quote the value)",
}

_BY_PROBLEM = (
    ("mapping values are not allowed", "':' is not allowed here (quote a value that contains ': ')"),
    ("sequence entries are not allowed", "a list item '- ' is not allowed here"),
    ("mapping keys are not allowed", "an explicit key '? ' is not allowed here"),
    ("undefined alias", "an alias ('*name') refers to no anchor defined before it"),
    ("<document start>", "unexpected content after the end of the document"),
)


def syntax_message(context: str | None, problem: str | None, found: str) -> str:
    """The message for a parse error; ``found`` is the character at the error's position."""
    if context == "while scanning for the next token":
        if found == "\t":
            return "YAML syntax error: a tab character; YAML indents with spaces only"
        return f"YAML syntax error: {found!r} cannot start a YAML value (quote the value)"
    if context in _BY_CONTEXT:
        return f"YAML syntax error: {_BY_CONTEXT[context]}"
    for marker, message in _BY_PROBLEM:
        if marker in (problem or ""):
            return f"YAML syntax error: {message}"
    return f"YAML syntax error: {_tidy(' '.join(p for p in (context, problem) if p))}"


def _tidy(text: str) -> str:
    text = re.sub(r", but (?:found|got) .*$", "", text)
    return re.sub(r"\bdid not find expected\b", "expected", text) or "the document cannot be parsed"
