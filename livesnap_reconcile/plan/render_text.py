"""Text renderers for terminals: the full plan, `plan --summary`, and `livesnap drift`.

Terraform's layout: a "changed outside livesnap" section first, a symbol legend, one `# addr will
be ...` block per change sorted by address, the deferred and next-change sentences, and the
totals line last. Pure functions from a `Plan` to `str`; ANSI colour only when asked
(`color=True`), since the CLI alone knows about TTYs, `NO_COLOR` and `--no-color`. Nothing here
plans, reads the clock (``now`` is a parameter) or writes anywhere.
"""

from __future__ import annotations

from livesnap_reconcile.plan.model import Action, Change, Drift, Plan
from livesnap_reconcile.plan.render_attrs import attribute_changes, change_block, drift_block
from livesnap_reconcile.plan.render_common import (
    WAITING_TITLE,
    canonical,
    deferred_line,
    drift_phrase,
    drift_verdict,
    group_by_stream,
    group_drift,
    group_label,
    next_change_line,
    paint,
    paint_symbol,
    plural,
    sort_changes,
    targeting_line,
    totals_line,
    waiting,
)

HEADER = "livesnap will perform the following actions:"
DRIFT_HEADER = "Objects changed outside livesnap:"
DRIFT_FOOTER = (
    "Unless the manifests were changed to match, the actions below bring these objects back to "
    "the manifest."
)

_LEGEND = {
    Action.CREATE: "create",
    Action.REPLACE: "replace (delete or stop, then create)",
    Action.DELETE: "delete (Alibaba jobs: stop; ICE has no delete)",
    Action.ADOPT: "adopt (record an existing remote object in state; no vendor write but a start or stop to its desired status)",
    Action.FORGET: "forget (remove from state, no vendor call)",
}
_TILDE = (Action.UPDATE, Action.START, Action.STOP, Action.RESTART)
_TILDE_WORDS = {Action.UPDATE: "update in place", Action.START: "start", Action.STOP: "stop",
                Action.RESTART: "restart"}
_DRIFT_SYMBOL = {"deleted": "-", "stopped": "~", "paused": "~", "started": "~", "modified": "~"}


def render_text(plan: Plan, *, color: bool = False, now: int | None = None) -> str:
    """The full human plan, Terraform-style. ``now`` only adds "(in 2h 5m)" to future times."""
    plan = canonical(plan)
    sections: list[str] = []
    if plan.drift:
        blocks = ["\n".join(drift_block(d, color=color)) for d in sorted(plan.drift, key=_drift_key)]
        sections.append("\n".join([paint(DRIFT_HEADER, "bold", color=color), "", "\n\n".join(blocks)]))
        if plan.has_changes:
            sections.append(DRIFT_FOOTER)
    if plan.has_changes:
        sections.append(_legend(plan, color=color))
        blocks = ["\n".join(change_block(c, color=color)) for c in sort_changes(plan.changes)]
        sections.append(HEADER + "\n\n" + "\n\n".join(blocks))
    sections += _closing(plan, color=color, now=now)
    return "\n\n".join(sections) + "\n"


def render_summary(plan: Plan, *, color: bool = False, now: int | None = None) -> str:
    """`plan --summary`: one line per address and action, grouped by stream (templates first)."""
    plan = canonical(plan)
    lines: list[str] = []
    for key, changes in group_by_stream(plan.changes):
        title = group_label(key).capitalize() if key == "" else f"Stream {key}"
        lines.append(paint(f"{title} ({plural(len(changes), 'change')}):", "bold", color=color))
        lines += [summary_line(c, color=color) for c in changes]
    sections = ["\n".join(lines)] if lines else []
    if plan.drift:
        sections.append(
            f"Note: {drift_verdict(plan.drift)[:-1]}; `livesnap drift` lists them."
        )
    sections += _closing(plan, color=color, now=now)
    return "\n\n".join(sections) + "\n"


def summary_line(change: Change, *, color: bool = False) -> str:
    """``  + create  task.lobby.news[2026-11-25T11:00Z]``: symbol, action, address."""
    symbol = change.action.symbol
    pad = " " * (3 - len(symbol))
    return f"{pad}{paint_symbol(symbol, color=color)} {change.action.value:<7} {change.address}"


def render_drift(plan: Plan, *, color: bool = False) -> str:
    """`livesnap drift`: what changed outside livesnap, grouped by kind of change, then what waits
    on something outside livesnap (not drift), then a verdict."""
    plan = canonical(plan)
    waits = waiting(plan)
    sections = [paint(DRIFT_HEADER, "bold", color=color)] if plan.drift else []
    for title, items in group_drift(plan.drift):
        if title.startswith("Unexpected") and plan.namespace:
            title = f'Unexpected objects carrying namespace "{plan.namespace}"'
        lines = [paint(f"{title} ({len(items)}):", "bold", color=color)]
        for item in items:
            lines += drift_item_lines(item, color=color)
        sections.append("\n".join(lines))
    if waits:
        lines = [paint(f"{WAITING_TITLE} ({len(waits)}):", "bold", color=color)]
        lines += [f"  {paint_symbol('~', color=color)} {c.address}: {c.reason}" for c in waits]
        sections.append("\n".join(lines))
    sections.append(drift_verdict(plan.drift))
    return "\n\n".join(sections) + "\n"


def drift_item_lines(item: Drift, *, color: bool = False) -> list[str]:
    """One drift item for `livesnap drift`: a symbol line, then ``key: old -> new`` if modified."""
    symbol = _DRIFT_SYMBOL.get(item.what, "?")
    rid = f" (id {item.remote_id})" if item.remote_id else ""
    detail = f": {item.detail}" if item.detail else ""
    head = f"  {paint_symbol(symbol, color=color)} {item.address}{rid} {drift_phrase(item)}{detail}"
    changes = attribute_changes(item.before, item.after) if item.what == "modified" else []
    return [head, *(f"      {line}" for line in changes)]


def _legend(plan: Plan, *, color: bool) -> str:
    used = {c.action for c in plan.changes}
    lines = ["Actions are shown with these symbols:"]
    if Action.CREATE in used:
        lines.append(_legend_line(Action.CREATE, color=color))
    tilde = [_TILDE_WORDS[a] for a in _TILDE if a in used]
    if tilde:
        lines.append(f"  {paint_symbol('~', color=color)} {', '.join(tilde)}")
    for action in (Action.REPLACE, Action.DELETE, Action.ADOPT, Action.FORGET):
        if action in used:
            lines.append(_legend_line(action, color=color))
    return "\n".join(lines)


def _legend_line(action: Action, *, color: bool) -> str:
    symbol = action.symbol
    return f"{' ' * (3 - len(symbol))}{paint_symbol(symbol, color=color)} {_LEGEND[action]}"


def _closing(plan: Plan, *, color: bool, now: int | None) -> list[str]:
    notes = [line for line in (targeting_line(plan), deferred_line(plan, now), next_change_line(plan, now)) if line]
    final = totals_line(plan)
    final = paint(final, "bold", color=color) if plan.has_changes else paint(final, "green", color=color)
    return (["\n".join(notes)] if notes else []) + [final]


def _drift_key(item: Drift) -> tuple[str, str]:
    return (item.address, item.what)
