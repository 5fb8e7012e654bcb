"""Serve an `Emulator` over loopback HTTP with the stdlib `ThreadingHTTPServer`.

Each HTTP request becomes an `httpx.Request` with the headers and body bytes exactly as received
(signatures are checked on them), the emulator answers, and the answer is written back with
HTTP/1.1 keep-alive. A commit-then-drop fault closes the connection without any answer.
"""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without NODELAY the client's delayed ACK adds ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        host = self.headers.get("Host") or self.server.endpoint
        request = httpx.Request(self.command, f"http://{host}{self.path}",
                                headers=[(k, v) for k, v in self.headers.items()], content=body)
        try:
            response = self.server.emulator.handle(request)
        except httpx.TransportError:
            self.close_connection = True  # commit-then-drop: the write happened, the answer never comes
            return
        except Exception as exc:  # noqa: BLE001 - a bug must not kill the server thread silently
            self._write(500, [("Content-Type", "text/plain")], f"sandbox internal error: {type(exc).__name__}".encode())
            return
        content = response.read()
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in ("content-length", "connection")]
        self._write(response.status_code, headers, content)

    def _write(self, status: int, headers: list[tuple[str, str]], content: bytes) -> None:
        self.send_response_only(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)
        self.wfile.flush()

    do_GET = do_POST = do_PUT = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:  # requests are in emulator.request_log
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], emulator: Any) -> None:
        self.emulator = emulator
        super().__init__(address, _Handler)
        host = self.server_address[0]
        self.endpoint = f"{host.decode() if isinstance(host, bytes) else host}:{self.server_address[1]}"


class SandboxServer:
    """A running server: ``url``, ``host``, ``port``; ``shutdown()`` stops it and frees the port."""

    def __init__(self, emulator: Any, *, host: str, port: int) -> None:
        self._server = _Server((host, port), emulator)
        self.endpoint = self._server.endpoint
        self.host, self.port = self.endpoint.rsplit(":", 1)[0], int(self._server.server_address[1])
        self.url = f"http://{self.endpoint}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="livesnap-sandbox", daemon=True)
        self._thread.start()

    def shutdown(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> SandboxServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


def serve(emulator: Any, host: str = "127.0.0.1", port: int = 0) -> SandboxServer:
    """Start serving ``emulator`` in a background thread; port 0 picks a free port."""
    return SandboxServer(emulator, host=host, port=port)
