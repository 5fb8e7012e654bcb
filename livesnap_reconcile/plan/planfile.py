"""Saved plans: the plan document plus a checksum, written atomically and read back strictly.

A saved plan is refused when it is not JSON, is a `plan --format json` rendering rather than a
saved plan, was edited by hand (checksum mismatch), comes from another format, does not match
the plan document schema, or is too old (time-bounded tasks age). Whether it still matches the
state and the manifests is checked by the caller, which knows both.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from livesnap_reconcile.core.atomic import atomic_write
from livesnap_reconcile.errors import PlanFileError, StateStale
from livesnap_reconcile.plan.model import FORMAT_VERSION, Plan
from livesnap_reconcile.plan.render_json import validate_plan_document

MAX_AGE_SECONDS = 3600


def _canonical(doc: dict) -> bytes:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def checksum(doc: dict) -> str:
    body = {k: v for k, v in doc.items() if k != "checksum"}
    return "sha256:" + hashlib.sha256(_canonical(body)).hexdigest()


def save(plan: Plan, path: Path) -> None:
    doc = plan.to_dict()
    doc["checksum"] = checksum(doc)
    data = (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        atomic_write(path, data)
    except OSError as exc:
        raise PlanFileError(f"{path}: cannot write plan file: {exc.strerror}") from None


def load(path: Path) -> Plan:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanFileError(f"{path}: cannot read plan file: {exc.strerror}") from None
    try:
        doc = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PlanFileError(f"{path}: not a livesnap plan (invalid JSON: {exc})") from None
    if not isinstance(doc, dict) or "format_version" not in doc or "changes" not in doc:
        raise PlanFileError(f"{path}: not a livesnap plan (missing format_version/changes)")
    version = doc.get("format_version")
    if isinstance(version, int) and version < FORMAT_VERSION:
        raise PlanFileError(f"{path}: plan format {version} was written by an older livesnap (this one writes "
                            f"{FORMAT_VERSION}); run `livesnap plan -o` again")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise PlanFileError(f"{path}: plan format {version!r} is newer than this livesnap understands "
                            f"({FORMAT_VERSION}); upgrade livesnap")
    if "checksum" not in doc:
        raise PlanFileError(f"{path}: this is a plan rendering (`plan --format json`), not a saved plan: "
                            "save one with `livesnap plan -o FILE` and apply that")
    if doc.get("checksum") != checksum(doc):
        raise PlanFileError(f"{path}: checksum mismatch: the plan was modified after it was saved; "
                            "run `livesnap plan -o` again")
    try:
        validate_plan_document({k: v for k, v in doc.items() if k != "checksum"})
    except ValueError as exc:
        raise PlanFileError(f"{path}: {exc}") from None
    try:
        return Plan.from_dict(doc)
    except (KeyError, TypeError, ValueError) as exc:
        raise PlanFileError(f"{path}: malformed plan document ({type(exc).__name__}: {exc})") from None


def check_fresh(plan: Plan, *, now: int, max_age: int = MAX_AGE_SECONDS) -> None:
    age = now - plan.created_at
    if age > max_age:
        raise StateStale(f"saved plan is stale: it was made {age // 60} minutes ago (limit {max_age // 60}); "
                         "time-bounded tasks move on, so run `livesnap plan -o` again")
