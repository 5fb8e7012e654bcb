"""The plan's machine format: the versioned JSON document and its schema check.

`plan_document` is the one document every renderer draws from (`Plan.to_dict`), `render_json`
prints it, and `validate_plan_document` checks any document (a saved plan file, `show` input)
against `schemas/plan.schema.json`, raising `ValueError` with a readable message. The schema is
read from the package (`livesnap_reconcile/schemas`); jsonschema is imported only when validating,
so rendering stays cheap. Nothing here plans, decides staleness or writes files.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from livesnap_reconcile.plan.model import Plan

SCHEMA_NAME = "plan.schema.json"
_MAX_REPORTED = 5  # errors listed in one message; the rest are counted


def plan_document(plan: Plan) -> dict[str, Any]:
    """The versioned machine form of a plan (``format_version``, summary, changes, drift, deferred)."""
    return plan.to_dict()


def render_json(plan: Plan) -> str:
    """The plan document as pretty, deterministic JSON (sorted keys, trailing newline)."""
    return json.dumps(plan_document(plan), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@lru_cache(maxsize=1)
def plan_schema() -> dict[str, Any]:
    """`schemas/plan.schema.json`, loaded once from the installed package."""
    text = resources.files("livesnap_reconcile").joinpath("schemas", SCHEMA_NAME).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate_plan_document(doc: Any) -> None:
    """Raise ValueError naming where and why ``doc`` is not a plan document; return None if it is."""
    import jsonschema  # lazily: only `show`/`apply PLANFILE` validate

    validator = jsonschema.Draft202012Validator(plan_schema())
    errors = sorted(validator.iter_errors(doc), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    if not errors:
        return
    lines = [f"  at {_where(e)}: {_message(e)}" for e in errors[:_MAX_REPORTED]]
    if len(errors) > _MAX_REPORTED:
        lines.append(f"  ... and {len(errors) - _MAX_REPORTED} more")
    raise ValueError("not a valid livesnap plan document:\n" + "\n".join(lines))


def _where(error: Any) -> str:
    path = "/".join(str(p) for p in error.absolute_path)
    return f"/{path}" if path else "the top level"


def _message(error: Any) -> str:
    """The validator's message, shortened: a huge offending value is not worth echoing back."""
    message = str(error.message)
    return message if len(message) <= 200 else message[:197] + "..."
