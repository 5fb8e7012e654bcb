"""The manifest JSON Schema: where it lives, and its errors turned into plain sentences.

Owns reading ``schemas/manifest.schema.json`` (through the package's ``schemas`` link, never the
working directory) and translating jsonschema's errors into located `Diagnostic` values such as
"unknown key 'foo'" or "interval must be between 5 and 3600". Manifests are checked by `schemacheck`, which
knows the schema's keywords and needs no jsonschema import; jsonschema stays the reference
(`reference_validator`, imported only when used) that the tests compare it with. Semantic rules that need more
than one value at a time live in `semantic`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from livesnap_reconcile.manifest.diagnostics import Diagnostic, ManifestPath, format_path, short

SCHEMA_PATH = Path(__file__).parent.parent / "schemas" / "manifest.schema.json"

Locate = Callable[..., tuple[str, int, int]]

_TYPE_WORDS = {
    "object": "a mapping", "array": "a list", "string": "a string", "integer": "an integer",
    "number": "a number", "boolean": "true or false", "null": "empty",
}


def schema_text() -> str:
    return SCHEMA_PATH.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_text())
    return schema


@lru_cache(maxsize=1)
def _validator() -> Any:
    """`schemacheck` for the shipped schema; jsonschema only if the schema outgrows it."""
    from livesnap_reconcile.manifest import schemacheck

    schema = _inline_refs(load_schema())
    return schemacheck.Checker(schema) if schemacheck.supports(schema) else reference_validator()


@lru_cache(maxsize=1)
def reference_validator() -> Any:
    """jsonschema's validator of the same schema: the reference the tests hold `schemacheck` to."""
    from jsonschema import Draft202012Validator  # lazy: a noticeable import for the CLI

    return Draft202012Validator(_inline_refs(load_schema()))


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with its local ``#/$defs/...`` references replaced by their targets.

    Same meaning (the definitions are not recursive), but several times faster to check large
    manifests because no reference has to be resolved per value.
    """
    defs = schema.get("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, list):
            return [inline(item) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref", "")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            target = inline(defs[ref.removeprefix("#/$defs/")])
            return {**target, **{k: inline(v) for k, v in node.items() if k != "$ref"}}
        return {k: inline(v) for k, v in node.items()}

    return inline({k: v for k, v in schema.items() if k != "$defs"})


def schema_diagnostics(data: object, locate: Locate, *, skip_keys: frozenset[ManifestPath] = frozenset()
                       ) -> list[Diagnostic]:
    """Every schema violation in ``data`` as a located sentence.

    ``skip_keys`` are key paths already reported by another rule (secret-looking keys), so
    they are not also called unknown.
    """
    return located(_validator().iter_errors(data), locate, skip_keys=skip_keys)


def schema_valid(data: object) -> bool:
    """Whether ``data`` passes the schema: the quick yes/no, with no errors to word."""
    return bool(_validator().is_valid(data))


def located(errors: Iterable[Any], locate: Locate, *, skip_keys: frozenset[ManifestPath] = frozenset()
            ) -> list[Diagnostic]:
    """Schema errors (jsonschema's or `schemacheck`'s) as located sentences."""
    found: list[Diagnostic] = []
    for error in errors:
        for path, message, on_key in _translate(error):
            if path in skip_keys:
                continue
            file, line, column = locate(path, key=on_key)
            found.append(Diagnostic("error", file, line, column, format_path(path), message))
    return found


def _label(path: ManifestPath) -> str:
    if not path:
        return "the manifest"
    if isinstance(path[-1], int):
        return format_path(path[-2:]) if len(path) > 1 else f"item {path[-1]}"
    return str(path[-1])


def _translate(error: Any) -> Iterator[tuple[ManifestPath, str, bool]]:
    """One jsonschema error -> (path, sentence, locate-on-key) items."""
    path: ManifestPath = tuple(error.absolute_path)
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    custom = schema.get("x-messages", {}).get(kind)
    if "propertyNames" in error.absolute_schema_path:
        key = error.instance
        yield (*path, key), f"invalid name {short(key)}: {custom or 'not a valid name'}", True
        return
    if kind == "additionalProperties":
        yield from _unknown_keys(error, path)
    elif kind == "required":
        for key in error.validator_value:
            if isinstance(error.instance, dict) and key not in error.instance:
                yield path, f"missing required key {key!r}", True
    elif custom:
        yield path, f"{custom} (got {short(error.instance)})" if kind == "pattern" else custom, False
    else:
        yield path, _sentence(error, path, schema), kind in ("minProperties",)


def _unknown_keys(error: Any, path: ManifestPath) -> Iterator[tuple[ManifestPath, str, bool]]:
    known = sorted(error.schema.get("properties", {}))
    for key in error.instance:
        if key in known:
            continue
        import difflib  # only for an unknown key: a valid manifest never pays for it

        close = difflib.get_close_matches(str(key), known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        where = f" in {_label(path)}" if path else ""
        yield (*path, key), f"unknown key {short(key)}{where}{hint}", True


def _sentence(error: Any, path: ManifestPath, schema: dict[str, Any]) -> str:
    label, kind, value, instance = _label(path), error.validator, error.validator_value, error.instance
    if kind == "type":
        wanted = value if isinstance(value, list) else [value]
        words = " or ".join(_TYPE_WORDS.get(str(w), str(w)) for w in wanted)
        return f"{label} must be {words}, not {_describe(instance)}"
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return _range(label, schema, instance)
    if kind == "enum":
        choices = ", ".join(str(v) for v in value)
        return f"{label} must be one of {choices} (got {short(instance)})"
    if kind == "const":
        return f"{label} must be {value!r}" + (f" (got {short(instance)})" if label != "version" else
                                               f"; only version 1 exists (got {short(instance)})")
    if kind == "minProperties":
        return f"{label} must not be empty"
    if kind == "minItems":
        return f"{label} must list at least {value} item" + ("s" if value != 1 else "")
    if kind == "uniqueItems":
        return f"{label} must not repeat items"
    if kind == "minLength":
        return f"{label} must not be empty"
    if kind == "maxLength":
        return f"{label} must be at most {value} characters (got {len(instance)})"
    if kind == "pattern":
        return f"{label} has an invalid format (got {short(instance)})"
    return f"{label}: {error.message}"


def _range(label: str, schema: dict[str, Any], instance: object) -> str:
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        return f"{label} must be between {low} and {high} (got {instance})"
    if "exclusiveMinimum" in schema:
        return f"{label} must be greater than {schema['exclusiveMinimum']} (got {instance})"
    if low is not None:
        return f"{label} must be at least {low} (got {instance})"
    return f"{label} must be at most {high} (got {instance})"


def _describe(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    return f"the string {short(value)}"
