"""What JSON Schema's keywords share: the annotations, its types, its equality, cached patterns.

Shared by `schemacheck` (errors) and `schemavalid` (yes or no), so both judge values alike.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Keywords that only annotate: nothing to check.
ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "x-messages", "default", "examples"})


def is_type(value: Any, name: str) -> bool:
    # As Draft 2020-12: booleans are not numbers, and 1.0 is an integer.
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if isinstance(value, bool):
        return False
    if name == "integer":
        return isinstance(value, int) or isinstance(value, float) and value.is_integer()
    if name == "number":
        return isinstance(value, int | float)
    raise ValueError(f"unknown JSON Schema type {name!r}")


def equal(one: Any, two: Any) -> bool:
    """JSON equality, as jsonschema's: true is not 1, and containers compare item by item."""
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(equal(one[k], two[k]) for k in one)
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(equal(a, b) for a, b in zip(one, two, strict=True))
    return bool(one == two)


@lru_cache(maxsize=256)
def regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)
