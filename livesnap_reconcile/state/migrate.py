"""`state migrate`: copy the current state from one backend to another, lineage and serial kept.

Owns only the order of operations: lock both sides, read the source, `restore` it on the target
(which refuses another lineage or a target that is ahead), unlock. The source is only read.
"""

from __future__ import annotations

from livesnap_reconcile.errors import StateError
from livesnap_reconcile.state.backend import StateBackend, locked
from livesnap_reconcile.state.model import State


def migrate(source: StateBackend, target: StateBackend, *, timeout: float) -> State:
    """Copy ``source``'s state to ``target``; returns the state copied."""
    if source.describe() == target.describe():
        raise StateError(f"the source and the target are both {source.describe()}; nothing to migrate")
    with locked(source, operation="state migrate", timeout=timeout), \
            locked(target, operation="state migrate", timeout=timeout):
        state = source.read()
        if state is None:
            raise StateError(f"{source.describe()} holds no state; nothing to migrate")
        return target.restore(state)
