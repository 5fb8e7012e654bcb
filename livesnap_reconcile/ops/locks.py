"""Whether a lock's holder is still alive, so force-unlock never silently breaks a running apply."""

from __future__ import annotations

import os
import socket

from livesnap_reconcile.state.backend import LockInfo


def running_here(holder: LockInfo) -> bool:
    """True when the holder's host is this host and its pid is alive (another host: unknown, False)."""
    if not holder.who.endswith("@" + socket.gethostname()) or holder.pid <= 0:
        return False
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, owned by someone else
    return True
