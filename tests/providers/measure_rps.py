"""Measure requests/second against the loopback emulator at its documented Tencent limit (20/s).

Not a test (wall-clock numbers do not belong in the suite). Usage:

    .venv/bin/python -m tests.providers.measure_rps [N]

Creates N screenshot tasks through the default-paced provider over real loopback HTTP, with the
emulator enforcing its default 20/s on task actions, and prints the achieved rate, the number of
throttled answers absorbed by retries, and the number of errors surfaced (should be 0).
"""

from __future__ import annotations

import sys
import time

from livesnap_reconcile.emulator import SANDBOX_KEYS, Emulator, Faults, serve
from livesnap_reconcile.errors import Throttled
from livesnap_reconcile.providers import make_provider
from livesnap_reconcile.resources import ProviderConfig


def main(n: int = 200) -> None:
    emu = Emulator(faults=Faults(), seed=0)  # documented limits, real clocks
    server = serve(emu, host="127.0.0.1", port=0)
    key_id, secret = SANDBOX_KEYS["tencent"]
    provider = make_provider(ProviderConfig(name="css", vendor="tencent", region="ap-guangzhou"),
                             endpoint=server.url, credentials=(key_id, secret, None))
    now = int(time.time())
    surfaced = 0
    started = time.perf_counter()
    for i in range(n):
        attrs = {"domain": "d.example.com", "app": "live", "stream": f"s{i % 50}", "start": now + 600 + i * 60,
                 "end": now + 600 + i * 60 + 30, "template": {"id": "0"}}
        try:
            provider.create("task", attrs)
        except Throttled:
            surfaced += 1
    elapsed = time.perf_counter() - started
    throttled = provider.client.caller.retries["CreateScreenshotTask"]
    server.shutdown()
    print(f"{n} CreateScreenshotTask in {elapsed:.2f}s = {(n - 1) / elapsed:.2f} req/s; "
          f"throttled answers retried: {throttled}; surfaced throttle errors: {surfaced}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
