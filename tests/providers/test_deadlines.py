"""Time limits against a misbehaving endpoint on 127.0.0.1: a request deadline and a retry budget.

What we test here, with a loopback server this test starts (it answers with headers, then one
body byte every ``TRICKLE`` seconds, never finishing within the test's small deadlines):
- one request gives up once its deadline passes, even though bytes keep arriving, and the error
  names the slow provider; the operation stops when its retry budget is spent;
- `livesnap plan` against it exits 1 with one clear line naming the provider, and the state lock
  is released (another command takes it at once).
Counts, not clocks: how many bytes and connections the server served before the client left.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from livesnap_reconcile.cli.main import cli
from livesnap_reconcile.errors import Unavailable
from livesnap_reconcile.providers.http import Call, Caller
from livesnap_reconcile.providers.pacing import Buckets
from livesnap_reconcile.state.local import LocalBackend

TRICKLE = 0.25  # seconds between body bytes
BODY_BYTES = 200  # 50 s of trickle: far beyond any deadline below
DEADLINE = 1.0
BUDGET = 2.0


@dataclass
class Trickle:
    url: str
    connections: int = 0
    bytes_sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def trickle() -> Iterator[Trickle]:
    stats = Trickle(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with stats.lock:
                stats.connections += 1
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(BODY_BYTES))
            self.end_headers()
            try:
                for _ in range(BODY_BYTES):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    with stats.lock:
                        stats.bytes_sent += 1
                    time.sleep(TRICKLE)
            except OSError:
                return  # the client hung up: what the deadline is for

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    stats.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stats
    finally:
        server.shutdown()
        server.server_close()


def _most_bytes(seconds: float) -> int:
    return int(seconds / TRICKLE) + 3


def test_a_trickling_response_is_cut_off_at_the_deadline_naming_the_provider(trickle):
    client = httpx.Client(timeout=10.0, trust_env=False)
    buckets = Buckets({}, default_rate=100.0, clock=time.monotonic, sleep=time.sleep)
    caller = Caller(provider="css-gz", client=client, buckets=buckets, sleep=time.sleep, max_attempts=6,
                    rng=random.Random(1), request_deadline=DEADLINE, retry_budget=BUDGET)
    with pytest.raises(Unavailable) as caught:
        caller.call(Call(action="DescribeScreenshotTask", group="read"),
                    lambda: httpx.Request("POST", trickle.url, content=b"{}"), lambda r: r.json())
    message = str(caught.value)
    assert "provider 'css-gz' is slow" in message and "1s request deadline" in message, message
    assert "retry budget 2s" in message, message
    # Six attempts of a whole trickled body would be 1,200 bytes; the budget allows about two deadlines.
    assert 2 <= trickle.connections <= 3
    assert trickle.bytes_sent <= _most_bytes(BUDGET + DEADLINE)


def _manifest(path: Path, endpoint: str) -> Path:
    path.write_text(f"""version: 1
namespace: slowtest
providers:
  css-gz: {{vendor: tencent, region: ap-guangzhou, endpoint: "{endpoint}"}}
templates:
  thumbs: {{provider: css-gz, cos: {{app_id: 1250000000, bucket: thumbs, region: ap-guangzhou}}}}
streams:
  hall:
    provider: css-gz
    domain: 5000.live.push.com
    app: live
    stream: hall
    snapshots:
      launch: {{template: thumbs, window: {{start: "2026-11-25T09:00:00+08:00", end: "2026-11-25T12:00:00+08:00"}}}}
""")
    return path


def test_plan_against_a_trickling_endpoint_fails_clearly_and_releases_the_lock(tmp_path, trickle):
    manifest = _manifest(tmp_path / "livesnap.yaml", trickle.url)
    state = tmp_path / "state.json"
    env = {"TENCENTCLOUD_SECRET_ID": "AKIDtest", "TENCENTCLOUD_SECRET_KEY": "secret", "HOME": str(tmp_path),
           "LIVESNAP_NOW": "2026-11-25T10:00:00+08:00", "LIVESNAP_REQUEST_DEADLINE": "1s",
           "LIVESNAP_RETRY_BUDGET": "2s", "NO_COLOR": "1"}
    runner = CliRunner()
    result = runner.invoke(cli, ["plan", "--state", str(state), str(manifest)], env=env)
    assert result.exit_code == 1, result.output
    assert "provider 'css-gz' is slow" in result.stderr and "request deadline" in result.stderr, result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert trickle.bytes_sent <= _most_bytes(4 * (BUDGET + DEADLINE))  # refresh runs a few reads in parallel
    # The lock is free: taking it with no patience at all succeeds.
    backend = LocalBackend(state)
    assert backend.current_lock() is None
    backend.unlock(backend.lock(operation="check", timeout=0))
