"""Terraform-style blocks for one change or one drift item: `# header` lines, then `+ addr {` attributes.

Owns the attribute-level drawing shared by the text and markdown renderers: value formatting
(ISO times, template refs as "(known after apply)"), aligned `key = value` lines, `old -> new`
diffs and `# forces replacement` markers. It draws data it is given; it must not decide what a
change is (the planner's `diff` and `forces_replacement` say which attributes matter).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from livesnap_reconcile.plan.model import Action, Change, Drift
from livesnap_reconcile.plan.render_common import (
    TIME_KEYS,
    drift_phrase,
    iso,
    paint,
    paint_symbol,
    path_keys,
    plural,
    verb,
)

KNOWN_AFTER_APPLY = "(known after apply)"
_INDENT = "    "
_MISSING = object()


def format_value(key: str, value: Any) -> str:
    """One attribute value as HCL-ish text: quoted strings, ISO times, refs, lists and maps inline."""
    if key in TIME_KEYS and isinstance(value, int) and not isinstance(value, bool):
        return json.dumps(iso(value))
    if isinstance(value, Mapping):
        if set(value) == {"ref"}:
            return KNOWN_AFTER_APPLY
        if set(value) == {"id"}:
            return json.dumps(str(value["id"]), ensure_ascii=False)
        inner = ", ".join(f"{k} = {format_value(str(k), v)}" for k, v in sorted(value.items()))
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(format_value("", v) for v in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _is_block(value: Any) -> bool:
    """A nested mapping drawn as its own `{ }` block (template refs stay inline)."""
    return isinstance(value, Mapping) and bool(value) and set(value) not in ({"ref"}, {"id"})


def _line(symbol: str, key: str, width: int, text: str, *, depth: int, color: bool) -> str:
    sym = paint_symbol(symbol, color=color) if symbol else ""
    pad = " " * (3 - len(symbol))
    return f"{_INDENT * depth}{pad}{sym} {key.ljust(width)} = {text}".rstrip()


def _all_lines(
    attrs: Mapping[str, Any], symbol: str, *, depth: int, color: bool, width: int = 0
) -> list[str]:
    """Every attribute under one symbol (create: ``+``, delete: ``-``, adopt: none)."""
    keys = sorted(k for k in attrs if not (depth == 1 and k == "id"))
    width = max([width, *(len(k) for k in keys)])
    lines = []
    for key in keys:
        value = attrs[key]
        if _is_block(value):
            lines.append(_line(symbol, key, width, "{", depth=depth, color=color))
            lines += _all_lines(value, symbol, depth=depth + 1, color=color)
            lines.append(f"{_INDENT * (depth + 1)}}}")
        else:
            lines.append(_line(symbol, key, width, format_value(key, value), depth=depth, color=color))
    return lines


def _diff_lines(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    keys: Sequence[str],
    *,
    forced: set[tuple[str, ...]],
    prefix: tuple[str, ...],
    depth: int,
    color: bool,
    width: int = 0,
) -> list[str]:
    width = max([width, *(len(k) for k in keys)])
    lines = []
    for key in keys:
        path = (*prefix, key)
        old, new = before.get(key, _MISSING), after.get(key, _MISSING)
        mark = " # forces replacement" if path in forced else ""
        if _is_block(old) and _is_block(new):
            sub = [k for k in sorted(set(old) | set(new)) if old.get(k, _MISSING) != new.get(k, _MISSING)]
            lines.append(_line("~", key, width, "{" + mark, depth=depth, color=color))
            lines += _diff_lines(old, new, sub, forced=forced, prefix=path, depth=depth + 1, color=color)
            hidden = len(set(old) | set(new)) - len(sub)
            if hidden:
                lines.append(f"{_INDENT * (depth + 2)}# ({plural(hidden, 'unchanged attribute')} hidden)")
            lines.append(f"{_INDENT * (depth + 1)}}}")
            continue
        if not mark and any(f[: len(path)] == path for f in forced):
            mark = " # forces replacement"  # a nested path forced, drawn inline here
        if old is _MISSING:
            text, symbol = format_value(key, new), "+"
        elif new is _MISSING:
            text, symbol = f"{format_value(key, old)} -> null", "-"
        else:
            text, symbol = f"{format_value(key, old)} -> {format_value(key, new)}", "~"
        lines.append(_line(symbol, key, width, text + mark, depth=depth, color=color))
    return lines


def changed_keys(change: Change) -> list[str]:
    """Top-level attributes to show for an update/replace: the planner's diff, else a comparison."""
    before, after = change.before or {}, change.after or {}
    listed = {path_keys(p)[0] for p in (*change.diff, *change.forces_replacement) if path_keys(p)}
    if not listed:
        listed = {k for k in set(before) | set(after) if before.get(k, _MISSING) != after.get(k, _MISSING)}
    return sorted(k for k in listed if k != "id" and (k in before or k in after))


def _id_line(change: Change) -> tuple[str, str]:
    """(symbol, text) for the synthetic ``id`` attribute, Terraform-style."""
    rid = json.dumps(change.remote_id, ensure_ascii=False) if change.remote_id else None
    if change.action is Action.CREATE:
        return "+", KNOWN_AFTER_APPLY
    if change.action is Action.REPLACE:
        return "~", f"{rid or 'null'} -> {KNOWN_AFTER_APPLY}"
    return "", rid or KNOWN_AFTER_APPLY


def _shown(change: Change) -> tuple[str, Mapping[str, Any]] | None:
    """(symbol, attributes) when every attribute is drawn, None for diff-style actions."""
    before, after = change.before or {}, change.after or {}
    return {
        Action.CREATE: ("+", after),
        Action.DELETE: ("-", before),
        Action.ADOPT: ("", after or before),
        Action.FORGET: ("", {}),
    }.get(change.action)


def change_block(change: Change, *, color: bool = False) -> list[str]:
    """The lines for one change: `# addr will be ...`, `# (reason)`, then the symbol block."""
    lines = [paint(f"  # {change.address} {verb(change)}", "bold", color=color)]
    if change.reason:
        lines.append(f"  # ({change.reason})")
    symbol = change.action.symbol
    lines.append(f"{' ' * (3 - len(symbol))}{paint_symbol(symbol, color=color)} {change.address} {{")
    before, after = change.before or {}, change.after or {}
    shown = _shown(change)
    keys = sorted(k for k in shown[1] if k != "id") if shown else changed_keys(change)
    width = max([2, *(len(k) for k in keys)])
    id_symbol, id_text = _id_line(change)
    lines.append(_line(id_symbol, "id", width, id_text, depth=1, color=color))
    if shown:
        lines += _all_lines(shown[1], shown[0], depth=1, color=color, width=width)
        hidden = len(set(before) - {"id"}) if change.action is Action.FORGET else 0
    else:
        forced = {path_keys(p) for p in change.forces_replacement}
        lines += _diff_lines(before, after, keys, forced=forced, prefix=(), depth=1, color=color, width=width)
        hidden = len((set(before) | set(after)) - set(keys) - {"id"})
    if hidden:
        what = "attribute" if change.action is Action.FORGET else "unchanged attribute"
        lines.append(f"{_INDENT * 2}# ({plural(hidden, what)} hidden)")
    lines.append(f"{_INDENT}}}")
    return lines


def attribute_changes(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[str]:
    """``key: old -> new`` for every differing leaf (nested keys dotted), sorted."""
    out: list[str] = []

    def walk(old: Any, new: Any, path: str) -> None:
        if isinstance(old, Mapping) and isinstance(new, Mapping) and _is_block(old) and _is_block(new):
            for key in sorted(set(old) | set(new)):
                walk(old.get(key, _MISSING), new.get(key, _MISSING), f"{path}.{key}" if path else key)
            return
        if old != new:
            key = path.rsplit(".", 1)[-1]
            shown_old = "(absent)" if old is _MISSING else format_value(key, old)
            shown_new = "(absent)" if new is _MISSING else format_value(key, new)
            out.append(f"{path}: {shown_old} -> {shown_new}")

    walk(before or {}, after or {}, "")
    return out


def drift_block(item: Drift, *, color: bool = False) -> list[str]:
    """The lines for one drift item in the plan's "changed outside livesnap" section."""
    rid = f" (id {item.remote_id})" if item.remote_id else ""
    lines = [paint(f"  # {item.address} {drift_phrase(item)}{rid}", "bold", color=color)]
    if item.detail:
        lines.append(f"  # ({item.detail})")
    if item.what == "modified" and item.before is not None and item.after is not None:
        keys = sorted(k for k in set(item.before) | set(item.after)
                      if item.before.get(k, _MISSING) != item.after.get(k, _MISSING))
        if keys:
            lines.append(f"  {paint_symbol('~', color=color)} {item.address} {{")
            lines += _diff_lines(item.before, item.after, keys, forced=set(), prefix=(), depth=1, color=color)
            lines.append(f"{_INDENT}}}")
    return lines
