"""A small JSON Schema checker for the keywords the manifest schema uses, with jsonschema's errors.

Why not jsonschema itself: importing and building its Draft 2020-12 validator costs more than the
rest of `livesnap validate` together (its `referencing`/`attrs` stack), and walking a large
manifest through its generic keyword dispatch is most of validating a 100k-object fleet. This
module checks the same rules directly and yields errors carrying the attributes `schema` reads
from jsonschema's (``validator``, ``validator_value``, ``instance``, ``schema``, ``absolute_path``,
``absolute_schema_path``, ``message``), so both give the same sentences. It knows only the keywords
listed in `KNOWN`; `supports` says whether a schema stays inside them, and `schema` falls back to
jsonschema otherwise. jsonschema stays the reference: the tests check both agree on valid and
invalid documents. ``$ref`` must already be inlined (`schema._inline_refs`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from livesnap_reconcile.manifest.schemavalid import compile_valid
from livesnap_reconcile.manifest.schemavalues import ANNOTATIONS, equal, is_type, regex

KNOWN = ANNOTATIONS | {
    "type", "properties", "additionalProperties", "required", "propertyNames", "if", "then", "items",
    "enum", "const", "minimum", "maximum", "exclusiveMinimum", "minLength", "maxLength", "pattern",
    "minProperties", "minItems", "uniqueItems",
}
Path = tuple[str | int, ...]


class SchemaError(NamedTuple):
    """One violation, shaped like `jsonschema.ValidationError` where `schema` looks."""

    validator: str
    validator_value: Any
    instance: Any
    schema: Mapping[str, Any]
    absolute_path: Path
    absolute_schema_path: Path
    message: str


def supports(schema: Any) -> bool:
    """Whether every keyword in ``schema`` (recursively) is one this checker knows."""
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, Mapping) or not set(schema) <= KNOWN:
        return False
    subschemas = [schema.get(k) for k in ("additionalProperties", "propertyNames", "if", "then", "items")
                  if isinstance(schema.get(k), Mapping)]
    subschemas += list(schema.get("properties", {}).values())
    return all(supports(s) for s in subschemas)


class Checker:
    """``iter_errors(instance)`` like a jsonschema validator built on ``schema``."""

    def __init__(self, schema: Mapping[str, Any]) -> None:
        if not supports(schema):
            raise ValueError("the schema uses a keyword this checker does not know")
        self.schema = schema
        self._valid = compile_valid(schema)

    def iter_errors(self, instance: Any) -> Iterator[SchemaError]:
        # The yes/no check is several times quicker; the errors, and their order, come from the
        # walk below alone, which a valid document (the usual case) never needs.
        if self._valid(instance):
            return iter(())
        return _check(instance, self.schema, (), ())

    def is_valid(self, instance: Any) -> bool:
        return self._valid(instance)


def _check(instance: Any, schema: Any, path: Path, schema_path: Path) -> Iterator[SchemaError]:
    if schema is True:
        return
    if schema is False:
        yield SchemaError("false", False, instance, {}, path, schema_path, "False schema does not allow it")
        return
    for keyword, value in schema.items():
        if keyword not in ANNOTATIONS:
            yield from _KEYWORDS[keyword](instance, value, schema, path, (*schema_path, keyword))


def _error(keyword: str, value: Any, instance: Any, schema: Mapping[str, Any], path: Path, spath: Path,
           message: str) -> SchemaError:
    return SchemaError(keyword, value, instance, schema, path, spath, message)


def _type(instance: Any, value: Any, schema: Mapping[str, Any], path: Path, spath: Path) -> Iterator[SchemaError]:
    names = value if isinstance(value, list) else [value]
    if not any(is_type(instance, n) for n in names):
        yield _error("type", value, instance, schema, path, spath, f"{instance!r} is not of type {value!r}")


def _properties(instance: Any, value: Any, schema: Mapping[str, Any], path: Path,
                spath: Path) -> Iterator[SchemaError]:
    if isinstance(instance, dict):
        for name, subschema in value.items():
            if name in instance:
                yield from _check(instance[name], subschema, (*path, name), (*spath, name))


def _additional(instance: Any, value: Any, schema: Mapping[str, Any], path: Path,
                spath: Path) -> Iterator[SchemaError]:
    if not isinstance(instance, dict):
        return
    known = schema.get("properties", {})
    extras = [k for k in instance if k not in known]
    if isinstance(value, Mapping):
        for key in extras:
            yield from _check(instance[key], value, (*path, key), spath)
    elif value is False and extras:
        yield _error("additionalProperties", value, instance, schema, path, spath,
                     "Additional properties are not allowed")


def _required(instance: Any, value: Any, schema: Mapping[str, Any], path: Path,
              spath: Path) -> Iterator[SchemaError]:
    if isinstance(instance, dict):
        for name in value:  # one error per missing key, as jsonschema
            if name not in instance:
                yield _error("required", value, instance, schema, path, spath, f"{name!r} is a required property")


def _property_names(instance: Any, value: Any, schema: Mapping[str, Any], path: Path,
                    spath: Path) -> Iterator[SchemaError]:
    if isinstance(instance, dict):
        for key in instance:
            yield from _check(key, value, path, spath)


def _if(instance: Any, value: Any, schema: Mapping[str, Any], path: Path, spath: Path) -> Iterator[SchemaError]:
    passed = next(_check(instance, value, path, spath), None) is None
    if passed and "then" in schema:
        yield from _check(instance, schema["then"], path, (*spath[:-1], "then"))


def _nothing(instance: Any, value: Any, schema: Mapping[str, Any], path: Path,
             spath: Path) -> Iterator[SchemaError]:
    return iter(())  # `then` is applied by `if`


def _items(instance: Any, value: Any, schema: Mapping[str, Any], path: Path, spath: Path) -> Iterator[SchemaError]:
    if isinstance(instance, list):
        for index, item in enumerate(instance):
            yield from _check(item, value, (*path, index), spath)


def _enum(instance: Any, value: Any, schema: Mapping[str, Any], path: Path, spath: Path) -> Iterator[SchemaError]:
    if not any(equal(instance, choice) for choice in value):
        yield _error("enum", value, instance, schema, path, spath, f"{instance!r} is not one of {value!r}")


def _const(instance: Any, value: Any, schema: Mapping[str, Any], path: Path, spath: Path) -> Iterator[SchemaError]:
    if not equal(instance, value):
        yield _error("const", value, instance, schema, path, spath, f"{value!r} was expected")


def _bound(keyword: str, fails: Any) -> Any:
    def check(instance: Any, value: Any, schema: Mapping[str, Any], path: Path,
              spath: Path) -> Iterator[SchemaError]:
        if is_type(instance, "number") and fails(instance, value):
            yield _error(keyword, value, instance, schema, path, spath, f"{instance!r} is out of range ({keyword})")
    return check


def _string(keyword: str, fails: Any) -> Any:
    def check(instance: Any, value: Any, schema: Mapping[str, Any], path: Path,
              spath: Path) -> Iterator[SchemaError]:
        if isinstance(instance, str) and fails(instance, value):
            yield _error(keyword, value, instance, schema, path, spath, f"{instance!r} does not match ({keyword})")
    return check


def _min_properties(instance: Any, value: Any, schema: Mapping[str, Any], path: Path,
                    spath: Path) -> Iterator[SchemaError]:
    if isinstance(instance, dict) and len(instance) < value:
        yield _error("minProperties", value, instance, schema, path, spath, f"{instance!r} has too few properties")


def _min_items(instance: Any, value: Any, schema: Mapping[str, Any], path: Path,
               spath: Path) -> Iterator[SchemaError]:
    if isinstance(instance, list) and len(instance) < value:
        yield _error("minItems", value, instance, schema, path, spath, f"{instance!r} is too short")


def _unique(instance: Any, value: Any, schema: Mapping[str, Any], path: Path, spath: Path) -> Iterator[SchemaError]:
    if value and isinstance(instance, list):
        if any(equal(a, b) for i, a in enumerate(instance) for b in instance[i + 1:]):
            yield _error("uniqueItems", value, instance, schema, path, spath, f"{instance!r} has non-unique elements")


_KEYWORDS: dict[str, Any] = {
    "type": _type, "properties": _properties, "additionalProperties": _additional, "required": _required,
    "propertyNames": _property_names, "if": _if, "then": _nothing, "items": _items, "enum": _enum,
    "const": _const,
    "minimum": _bound("minimum", lambda x, v: x < v), "maximum": _bound("maximum", lambda x, v: x > v),
    "exclusiveMinimum": _bound("exclusiveMinimum", lambda x, v: x <= v),
    "minLength": _string("minLength", lambda s, v: len(s) < v),
    "maxLength": _string("maxLength", lambda s, v: len(s) > v),
    "pattern": _string("pattern", lambda s, v: not regex(v).search(s)),
    "minProperties": _min_properties, "minItems": _min_items, "uniqueItems": _unique,
}
