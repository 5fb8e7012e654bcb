"""Markdown for pull-request comments: the plan (`plan --format markdown`) and drift reports.

A plan report is a title with the totals, a table by action, the drift section, one
`<details>` per stream (templates first) holding a fenced `diff` block, and the deferred section.
It must fit a PR comment (`limit`, 65,000 characters by default), so it degrades in steps and
never drops the totals or any stream: full attribute blocks; else one line per address and
action; else the first K lines per stream (and per drift group / deferred list) with "… and N more",
K as large as fits; else a compact stream index. Pure functions; no I/O, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from livesnap_reconcile.plan.model import Action, Change, Drift, Plan
from livesnap_reconcile.plan.render_attrs import attribute_changes, change_block
from livesnap_reconcile.plan.render_common import (
    NO_CHANGES,
    SHOW_HINT,
    WAITING_TITLE,
    canonical,
    deferred_line,
    drift_phrase,
    drift_verdict,
    group_by_stream,
    group_drift,
    group_label,
    iso,
    next_change_line,
    plural,
    targeting_line,
    totals_phrase,
    waiting,
)
from livesnap_reconcile.plan.render_text import summary_line

LIMIT = 65_000
TRUNCATED_NOTE = f"> Report truncated to fit a PR comment; {SHOW_HINT}."
SUMMARY_NOTE = f"> Attribute details omitted to fit a PR comment; {SHOW_HINT}."
_DIFF_SYMBOL = re.compile(r"^(\s*)(-/\+|[-+~])(?=\s)")
Groups = list[tuple[str, list[Change]]]


def render_markdown(plan: Plan, *, limit: int = LIMIT) -> str:
    """The PR comment for a plan, at most ``limit`` characters, always with totals and every stream."""
    plan = canonical(plan)
    groups = group_by_stream(plan.changes)
    for detailed in (True, False):
        text = _plan_report(plan, groups, detailed=detailed, keep=None)
        if len(text) <= limit:
            return text
    longest = max([len(g) for _, g in groups] + [len(plan.deferred)] +
                  [len(items) for _, items in group_drift(plan.drift)])
    build: Callable[[int], str] = lambda keep: _plan_report(plan, groups, detailed=False, keep=keep)  # noqa: E731
    return _fit(build, longest, limit) or _compact(plan, groups, limit)


def render_drift_markdown(plan: Plan, *, limit: int = LIMIT) -> str:
    """The `livesnap drift --format markdown` report: grouped drift and the verdict."""
    plan = canonical(plan)
    waits = waiting(plan)
    title = f"## livesnap drift: {drift_verdict(plan.drift)[:-1]}" if plan.drift else "## livesnap drift: in sync"

    def build(keep: int | None) -> str:
        note = [TRUNCATED_NOTE] if keep is not None else []
        return _join([title, *note, *_drift_sections(plan, keep=keep, level="###"),
                      *_waiting_section(waits, keep=keep), drift_verdict(plan.drift)])

    text = build(None)
    if len(text) <= limit:
        return text
    longest = max([len(items) for _, items in group_drift(plan.drift)] + [len(waits)])
    return _fit(build, longest, limit) or _cut(_join([title, TRUNCATED_NOTE, drift_verdict(plan.drift)]), limit)


def _waiting_section(waits: Sequence[Change], *, keep: int | None) -> list[str]:
    if not waits:
        return []
    shown = waits if keep is None else waits[:keep]
    lines = [f"- {_code(c.address)}: {_plain(c.reason)}" for c in shown]
    if len(shown) < len(waits):
        lines.append(f"- … and {len(waits) - len(shown)} more")
    return [f"### {WAITING_TITLE} ({len(waits)})\n\n" + "\n".join(lines)]


def _plan_report(plan: Plan, groups: Groups, *, detailed: bool, keep: int | None) -> str:
    ns = f" for `{_plain(plan.namespace)}`" if plan.namespace else ""
    parts = [f"## livesnap plan{ns}: {totals_phrase(plan)}"]
    if keep is not None:
        parts.append(TRUNCATED_NOTE)
    elif not detailed:
        parts.append(SUMMARY_NOTE)
    parts.append(_action_table(plan) if plan.has_changes else NO_CHANGES)
    narrowed = targeting_line(plan)
    if narrowed:
        parts.append(f"> **{narrowed}**")
    if plan.drift:
        parts.append(f"### Changed outside livesnap ({len(plan.drift)})")
        parts += _drift_sections(plan, keep=keep, level="####")
        if plan.has_changes:
            parts.append("The changes below bring these objects back to the manifest.")
    if groups:
        parts.append("### Changes by stream")
        parts += [_stream_details(key, changes, detailed=detailed, keep=keep) for key, changes in groups]
    parts += _deferred_section(plan, keep=keep)
    next_line = next_change_line(plan)
    if next_line:
        parts.append(next_line)
    return _join(parts)


def _action_table(plan: Plan) -> str:
    counts = {a: sum(1 for c in plan.changes if c.action is a) for a in Action}
    rows = [f"| `{a.symbol}` {a.value} | {n} |" for a, n in counts.items() if n]
    total = f"| **total** | **{len(plan.changes)}** |"
    return "\n".join(["| action | count |", "|:--|--:|", *rows, total])


def _stream_details(key: str, changes: list[Change], *, detailed: bool, keep: int | None) -> str:
    shown = changes if keep is None else changes[:keep]
    if detailed:
        lines = "\n\n".join("\n".join(change_block(c)) for c in shown).split("\n")
    else:
        lines = [summary_line(c) for c in shown]
    lines = [_diff_line(line) for line in lines]
    if len(shown) < len(changes):
        lines.append(f"… and {len(changes) - len(shown)} more")
    summary = f"{_plain(group_label(key))} ({plural(len(changes), 'change')})"
    return f"<details><summary>{summary}</summary>\n\n{_fence(lines, 'diff')}\n\n</details>"


def _diff_line(line: str) -> str:
    """Move a leading ``+``/``-``/``~`` to column 0 so GitHub colours it (``~`` as ``!``, orange)."""
    match = _DIFF_SYMBOL.match(line)
    if not match:
        return line
    symbol = "!" if match.group(2) == "~" else match.group(2)
    return symbol + match.group(1) + line[match.end():]


def _drift_sections(plan: Plan, *, keep: int | None, level: str) -> list[str]:
    out = []
    for title, items in group_drift(plan.drift):
        if title.startswith("Unexpected") and plan.namespace:
            title = f"Unexpected objects carrying namespace `{_plain(plan.namespace)}`"
        shown = items if keep is None else items[:keep]
        lines = [_drift_item(d) for d in shown]
        if len(shown) < len(items):
            lines.append(f"- … and {len(items) - len(shown)} more")
        out.append(f"{level} {title} ({len(items)})\n\n" + "\n".join(lines))
    return out


def _drift_item(item: Drift) -> str:
    rid = f" (id {_code(item.remote_id)})" if item.remote_id else ""
    detail = f": {_plain(item.detail)}" if item.detail else ""
    line = f"- {_code(item.address)}{rid} {drift_phrase(item)}{detail}"
    if item.what != "modified":
        return line
    subs = [f"  - {_code(c)}" for c in attribute_changes(item.before, item.after)]
    return "\n".join([line, *subs])


def _deferred_section(plan: Plan, *, keep: int | None) -> list[str]:
    if not plan.deferred:
        return []
    items = sorted(plan.deferred, key=lambda d: (d.not_before, d.address))
    shown = items if keep is None else items[:keep]
    rows = [f"| {_code(d.address)} | {iso(d.start)} | {iso(d.end)} | {iso(d.not_before)} |" for d in shown]
    hidden = plan.deferred_count - len(shown)
    more = [f"\n… and {hidden} more"] if hidden > 0 else []
    table = "\n".join(["| occurrence | start | end | created from |", "|:--|:--|:--|:--|", *rows])
    return [f"### Deferred ({plan.deferred_count})", deferred_line(plan) or "", table + "".join(more)]


def _compact(plan: Plan, groups: Groups, limit: int) -> str:
    """Last resort: totals, the table and an index naming every stream with its change count."""
    index = ", ".join(f"{_plain(group_label(k))} ({len(g)})" for k, g in groups)
    parts = [f"## livesnap plan: {totals_phrase(plan)}", TRUNCATED_NOTE, _action_table(plan),
             f"**Streams:** {index}" if index else "",
             drift_verdict(plan.drift) if plan.drift else "",
             deferred_line(plan) or ""]
    return _cut(_join(parts), limit)


def _fit(build: Callable[[int], str], longest: int, limit: int) -> str | None:
    """The longest ``build(keep)`` within ``limit`` (binary search: longer keep, longer text)."""
    if len(build(0)) > limit:
        return None
    lo, hi = 0, max(longest, 0)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if len(build(mid)) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return build(lo)


def _cut(text: str, limit: int) -> str:
    """Hard cut at a line boundary, for limits too small for anything else."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 2, 0)].rsplit("\n", 1)[0]
    return (cut + "\n…")[:limit]


def _fence(lines: Sequence[str], lang: str) -> str:
    """A code fence longer than any backtick run inside, so remote data cannot close it."""
    body = "\n".join(lines)
    runs = [len(m) for m in re.findall(r"`+", body)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return f"{fence}{lang}\n{body}\n{fence}"


def _code(text: str) -> str:
    """Inline code that survives backticks in the text."""
    text = text.replace("\n", " ")
    runs = [len(m) for m in re.findall(r"`+", text)]
    ticks = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _plain(text: str) -> str:
    """Free text from a plan or a vendor, safe inside markdown/HTML (no tags, no tables, one line)."""
    for raw, safe in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|"), ("\n", " ")):
        text = text.replace(raw, safe)
    return text


def _join(parts: Sequence[str]) -> str:
    return "\n\n".join(p for p in parts if p) + "\n"

