"""Pure rules of a PostgreSQL commit: may this write follow what is stored, and what did it change.

`check_successor` is the serial/lineage check the commit transaction runs on the row it locked
(the same refusals as the file backend); `counts` gives the history row its added / changed /
removed numbers. No I/O here.
"""

from __future__ import annotations

from livesnap_reconcile.errors import StateCorrupt, StateStale
from livesnap_reconcile.state.model import State


def check_successor(state: State, stored: tuple[str, int] | None, *, where: str) -> None:
    """Refuse writing ``state`` (read at ``state.serial``) over ``stored`` (lineage, serial)."""
    if stored is None:
        if state.serial != 0:
            raise StateStale(f"{where} disappeared after serial {state.serial} was read; refusing to write "
                             "(run again)")
        return
    lineage, serial = stored
    if state.serial == 0 and lineage != state.lineage:
        raise StateStale(f"{where} was created by another run (serial {serial}) after this one found none; "
                         "refusing to overwrite it: run again")
    if lineage != state.lineage:
        raise StateCorrupt(f"{where} belongs to another state (lineage {lineage}, this run has "
                           f"{state.lineage}); refusing to overwrite it")
    if serial != state.serial:
        raise StateStale(f"{where} was written by another process (serial {serial}, this run read "
                         f"{state.serial}); refusing to overwrite it: run again")


def counts(previous: State | None, state: State) -> tuple[int, int, int]:
    """(added, changed, removed) entries from ``previous`` to ``state``; all added when unknown."""
    if previous is None:
        return len(state.resources), 0, 0
    before, after = previous.resources, state.resources
    added = sum(1 for a in after if a not in before)
    removed = sum(1 for a in before if a not in after)
    changed = sum(1 for a, e in after.items() if a in before and before[a] is not e and before[a] != e)
    return added, changed, removed
