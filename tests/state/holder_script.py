"""Child-process side of the lock and concurrency tests (run as a script, not collected).

    holder_script.py hold PATH OPERATION TIMEOUT   lock, print lock info, wait for "release"
    holder_script.py try PATH OPERATION TIMEOUT    try to lock; print {"ok": ...} or the StateLocked
    holder_script.py bump PATH                     read, write (serial + 1), print the new serial

PATH is a state file or a postgresql:// URL.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from livesnap_reconcile.errors import StateLocked
from livesnap_reconcile.state import LocalBackend, State
from livesnap_reconcile.state.location import is_pg_url
from livesnap_reconcile.state.select import open_backend


def main(argv: list[str]) -> None:
    action = argv[0]
    backend = open_backend(argv[1]) if is_pg_url(argv[1]) else LocalBackend(Path(argv[1]))
    if action == "hold":
        info = backend.lock(operation=argv[2], timeout=float(argv[3]))
        print(json.dumps(info.to_dict()), flush=True)
        if sys.stdin.readline().strip() == "release":
            backend.unlock(info)
            print("released", flush=True)
    elif action == "try":
        try:
            info = backend.lock(operation=argv[2], timeout=float(argv[3]))
        except StateLocked as exc:
            print(json.dumps({"ok": False, "message": str(exc), "lock_info": exc.lock_info}))
        else:
            backend.unlock(info)
            print(json.dumps({"ok": True}))
    elif action == "bump":
        state = backend.read() or State.new()
        print(json.dumps({"serial": backend.write(state).serial}))


if __name__ == "__main__":
    main(sys.argv[1:])
