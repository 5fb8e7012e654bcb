"""Refusals that compare a state with the run about to use it: endpoints and saved plans.

Pure functions over `State`; they raise and never repair. The CLI calls them before planning
(`check_endpoints`) and before applying a saved plan (`check_plan_matches`).
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from livesnap_reconcile.errors import StateError, StateStale
from livesnap_reconcile.loopback import is_loopback
from livesnap_reconcile.state.model import State


def _same_endpoint(a: str, b: str) -> bool:
    return a.strip().rstrip("/").lower() == b.strip().rstrip("/").lower()


def check_endpoints(state: State | None, current: Mapping[str, tuple[str, str]]) -> None:
    """Refuse a run whose providers talk to other endpoints than the state was made against.

    ``current`` maps provider name → (vendor, endpoint) as this run resolved them. Providers the
    state never recorded, or that this run does not configure, pass. Every mismatch is listed.
    """
    if state is None:
        return
    problems = []
    for name in sorted(set(state.providers) & set(current)):
        recorded = state.providers[name]
        vendor, endpoint = current[name]
        if recorded.get("vendor") != vendor:
            problems.append(
                f"provider {name}: state was made against vendor {recorded.get('vendor')} "
                f"but this run configures {vendor}; refusing to use this state"
            )
        elif not _same_endpoint(recorded.get("endpoint", ""), endpoint):
            problems.append(
                f"provider {name}: state was made against {recorded.get('endpoint')} but this run uses "
                f"{endpoint}; refusing to mix sandbox and real clouds (check --state and --sandbox)"
            )
    if problems:
        raise StateError("\n".join(problems))


def check_plan_matches(state: State | None, *, lineage: str, serial: int) -> None:
    """Refuse a saved plan made against another state than the one now stored.

    ``state`` None means no state file exists: only a plan made before any state (serial 0)
    matches; its lineage becomes the new state's (``State.new(lineage=...)``).
    """
    if state is None:
        if serial != 0:
            raise StateStale(
                f"the plan was made against state serial {serial} but there is no state file now; "
                "run plan again"
            )
        return
    if state.lineage != lineage and serial == 0:
        raise StateStale(
            f"the state changed since the plan was made (the plan was made before any state existed; "
            f"the state is now at serial {state.serial}); run plan again"
        )
    if state.lineage != lineage:
        raise StateStale(
            f"the plan was made for state lineage {lineage} but the state has lineage {state.lineage}; "
            "it belongs to another state: run plan again against this one"
        )
    if state.serial != serial:
        raise StateStale(
            f"the state changed since the plan was made (plan at serial {serial}, state now at serial "
            f"{state.serial}); run plan again"
        )


def movable_endpoint(recorded: str, new: str) -> str | None:
    """Why the state's record of a provider cannot move from ``recorded`` to ``new`` (None: it can)."""
    old_host, new_host = urlsplit(recorded).hostname or "", urlsplit(new).hostname or ""
    if urlsplit(new).scheme not in ("http", "https") or not new_host:
        return f"{new!r} is not an http(s) URL with a host"
    if "@" in urlsplit(new).netloc:
        return "the endpoint must not carry user:password@ credentials"
    if not (is_loopback(old_host) and is_loopback(new_host)):
        return (f"state was made against {recorded}; only a sandbox (loopback) endpoint can move to another "
                "loopback one, because a real cloud's objects are not at another address")
    return None

