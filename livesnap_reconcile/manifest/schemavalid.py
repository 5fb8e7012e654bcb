"""A schema compiled into one yes/no function: is a document free of every `schemacheck` error?

`schemacheck` walks a document with generators, carrying the instance and schema paths its errors
need; for a valid 100k-object manifest that bookkeeping is most of the check. Here each schema
node becomes a closure once, and a document is judged by calls that allocate nothing: it passes
exactly when `schemacheck` would yield no error (tests hold the two to that on the corpus and on
mutated manifests). Only the keywords of `schemacheck.KNOWN` are compiled; annotations are skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from livesnap_reconcile.manifest.schemavalues import ANNOTATIONS, equal, is_type, regex

Valid = Callable[[Any], bool]
_SKIPPED = ANNOTATIONS | {"then"}  # `then` is compiled with its `if`


def compile_valid(schema: Any) -> Valid:
    """The yes/no function of ``schema`` (a bool or a mapping of known keywords, refs inlined)."""
    if schema is True:
        return _yes
    if schema is False:
        return _no
    keywords = [keyword for keyword in schema if keyword not in _SKIPPED]
    checks = [_object(schema)] if _OBJECT.intersection(keywords) else []
    checks += [_KEYWORDS[keyword](schema[keyword], schema) for keyword in keywords if keyword not in _OBJECT]
    if len(checks) == 1:
        return checks[0]

    def all_of(instance: Any) -> bool:
        for check in checks:
            if not check(instance):
                return False
        return True
    return all_of


def _yes(instance: Any) -> bool:
    return True


def _no(instance: Any) -> bool:
    return False


def _type(value: Any, schema: Mapping[str, Any]) -> Valid:
    names = value if isinstance(value, list) else [value]
    exact = {"object": dict, "array": list, "string": str}
    if len(names) == 1 and names[0] in exact:
        wanted = exact[names[0]]
        return lambda instance: isinstance(instance, wanted)
    return lambda instance: any(is_type(instance, name) for name in names)


def _object(schema: Mapping[str, Any]) -> Valid:
    """``properties``, ``additionalProperties`` and ``required`` together: one pass over the keys."""
    known = {name: compile_valid(sub) for name, sub in schema.get("properties", {}).items()}
    extra = schema.get("additionalProperties", True)
    closed = extra is False
    other = compile_valid(extra) if isinstance(extra, Mapping) else None
    required = tuple(schema.get("required", ()))

    def check(instance: Any) -> bool:
        if not isinstance(instance, dict):
            return True
        for key, item in instance.items():
            sub = known.get(key, other)
            if sub is None:
                if closed:  # a key the schema does not know, and none may be added
                    return False
            elif not sub(item):
                return False
        for name in required:
            if name not in instance:
                return False
        return True
    return check


def _property_names(value: Any, schema: Mapping[str, Any]) -> Valid:
    sub = compile_valid(value)

    def check(instance: Any) -> bool:
        if isinstance(instance, dict):
            for key in instance:
                if not sub(key):
                    return False
        return True
    return check


def _if(value: Any, schema: Mapping[str, Any]) -> Valid:
    if "then" not in schema:
        return _yes
    condition, then = compile_valid(value), compile_valid(schema["then"])
    return lambda instance: not condition(instance) or then(instance)


def _items(value: Any, schema: Mapping[str, Any]) -> Valid:
    sub = compile_valid(value)

    def check(instance: Any) -> bool:
        if isinstance(instance, list):
            for item in instance:
                if not sub(item):
                    return False
        return True
    return check


def _enum(value: Any, schema: Mapping[str, Any]) -> Valid:
    return lambda instance: any(equal(instance, choice) for choice in value)


def _const(value: Any, schema: Mapping[str, Any]) -> Valid:
    return lambda instance: equal(instance, value)


def _bound(fails: Callable[[Any, Any], bool]) -> Callable[[Any, Mapping[str, Any]], Valid]:
    def make(value: Any, schema: Mapping[str, Any]) -> Valid:
        return lambda instance: not (is_type(instance, "number") and fails(instance, value))
    return make


def _string(fails: Callable[[str, Any], bool]) -> Callable[[Any, Mapping[str, Any]], Valid]:
    def make(value: Any, schema: Mapping[str, Any]) -> Valid:
        return lambda instance: not (isinstance(instance, str) and fails(instance, value))
    return make


def _min_properties(value: Any, schema: Mapping[str, Any]) -> Valid:
    return lambda instance: not (isinstance(instance, dict) and len(instance) < value)


def _min_items(value: Any, schema: Mapping[str, Any]) -> Valid:
    return lambda instance: not (isinstance(instance, list) and len(instance) < value)


def _unique(value: Any, schema: Mapping[str, Any]) -> Valid:
    def check(instance: Any) -> bool:
        if not (value and isinstance(instance, list)):
            return True
        return not any(equal(a, b) for i, a in enumerate(instance) for b in instance[i + 1:])
    return check


_OBJECT = frozenset({"properties", "additionalProperties", "required"})
_KEYWORDS: dict[str, Callable[[Any, Mapping[str, Any]], Valid]] = {
    "type": _type, "propertyNames": _property_names, "if": _if, "items": _items, "enum": _enum, "const": _const,
    "minimum": _bound(lambda x, v: x < v), "maximum": _bound(lambda x, v: x > v),
    "exclusiveMinimum": _bound(lambda x, v: x <= v),
    "minLength": _string(lambda s, v: len(s) < v), "maxLength": _string(lambda s, v: len(s) > v),
    "pattern": _string(lambda s, v: not regex(v).search(s)),
    "minProperties": _min_properties, "minItems": _min_items, "uniqueItems": _unique,
}
