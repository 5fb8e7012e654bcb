"""State: the model (lineage, serial, entries), the backend protocol and the local file backend.

Public API::

    State, StateEntry, FORMAT_VERSION               model.py   (frozen data, JSON boundary)
    StateBackend, LockInfo, locked                  backend.py (the interface every backend keeps)
    LocalBackend                                    local.py   (state.json + .backup + .lock)
    default_state_path, sandbox_state_path          paths.py
    check_endpoints, check_plan_matches             checks.py  (refusals before plan / apply)

This package must not import manifest, providers, plan, apply or cli; it speaks `resources`
and raises the `StateError` family of `errors`.
"""

from livesnap_reconcile.state.backend import LockInfo, StateBackend, locked
from livesnap_reconcile.state.checks import check_endpoints, check_plan_matches
from livesnap_reconcile.state.local import LocalBackend
from livesnap_reconcile.state.model import FORMAT_VERSION, State, StateEntry
from livesnap_reconcile.state.paths import default_state_path, sandbox_state_path

__all__ = [
    "FORMAT_VERSION",
    "LocalBackend",
    "LockInfo",
    "State",
    "StateBackend",
    "StateEntry",
    "check_endpoints",
    "check_plan_matches",
    "default_state_path",
    "locked",
    "sandbox_state_path",
]
