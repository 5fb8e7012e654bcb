"""Apply throughput at the vendor rate limit: 400 Tencent task creates against `livesnap sandbox serve`.

Each scenario gets a fresh server subprocess (in memory, loopback, ``--latency-ms 50``, the vendor's
20 req/s on task actions, or ``--rps 200``), so no scenario sees another's tasks or tokens:

- ``livesnap``: the real CLI, ``livesnap apply --auto-approve --format json`` in a subprocess; the
  rate is taken from the times the JSON lines of finished creates arrive. A small shim
  (`bench.cli_shim`) adds a log handler so the throttled answers its retries absorbed can be
  counted; throttle errors the user saw are the failed changes of the summary.
- ``sdk``: the official Tencent SDK (`LiveClient`, http to the server) doing the same creates in
  a plain loop, without and with its `StandardRetryer`; and the same with 10 threads (the
  parallelism livesnap uses), since a sequential loop can never outrun a 50 ms round trip.

Achieved rate = (creates - 1) / (time between the first and the last finished create).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CREATES = 400
LATENCY_MS = 50
STREAMS, PER_STREAM = 100, 4
TEMPLATE_ID = 12345  # a template livesnap does not manage: every change is a task create
HOUR = 3600


@contextmanager
def sandbox_server(*, rps: float | None) -> Any:
    """(endpoint URL) of a fresh `livesnap sandbox serve --memory` subprocess."""
    cmd = [sys.executable, "-m", "livesnap_reconcile", "sandbox", "serve", "--memory", "--port", "0",
           "--latency-ms", str(LATENCY_MS)]
    if rps is not None:
        cmd += ["--rps", str(rps)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        match = re.search(r"listening on (http://\S+)", line)
        if not match:
            raise RuntimeError(f"sandbox did not start: {line!r} {proc.stderr.read() if proc.stderr else ''}")
        yield match.group(1)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def occurrences(now: int, streams: int = STREAMS) -> list[tuple[str, int, int]]:
    """(stream, start, end) of the 400 tasks: 4 one-hour windows per stream, never overlapping."""
    base = (now // HOUR + 2) * HOUR
    return [(f"cam{s:03d}", base + k * 2 * HOUR, base + k * 2 * HOUR + HOUR)
            for s in range(streams) for k in range(PER_STREAM)]


def write_manifest(home: Path, *, endpoint: str, max_rps: float | None, now: int, streams: int = STREAMS) -> None:
    provider = f"{{vendor: tencent, endpoint: \"{endpoint}\"{f', max_rps: {max_rps:g}' if max_rps else ''}}}"
    lines = ["version: 1", "namespace: bench", "providers:", f"  css: {provider}", "streams:"]
    by_stream: dict[str, list[tuple[int, int]]] = {}
    for stream, start, end in occurrences(now, streams):
        by_stream.setdefault(stream, []).append((start, end))
    for stream, spans in by_stream.items():
        lines += [f"  {stream}:", "    provider: css", "    domain: 5000.live.push.com", "    app: live",
                  f"    stream: {stream}", "    snapshots:"]
        for k, (start, end) in enumerate(spans):
            lines.append(f"      w{k}: {{template: {{id: {TEMPLATE_ID}}}, window: {{start: \"{_iso(start)}\", "
                         f"end: \"{_iso(end)}\"}}}}")
    (home / "bench.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _iso(ts: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(ts))


def _rate(stamps: list[float]) -> float:
    stamps = sorted(stamps)
    return (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 and stamps[-1] > stamps[0] else 0.0


def run_livesnap(*, limit: float, parallelism: int | None = None, state: str | None = None,
                 configured: float | None = None, streams: int = STREAMS) -> dict[str, Any]:
    """``parallelism`` None: the default, a pool sized from the rate and the observed latency.

    ``state``: where the CLI keeps state (default a fresh file in the run's directory).

    ``streams``: 4 creates each (the benchmark's 100 make 400; the smoke test uses a few).

    ``configured``: the manifest's ``max_rps`` when it differs from the server's real ``limit``
    (a wrong rate, or an account limit lower than documented): the pacer must learn the limit.
    """
    from livesnap_reconcile.emulator import SANDBOX_KEYS

    rps = None if limit == 20 else limit
    with sandbox_server(rps=rps) as endpoint, tempfile.TemporaryDirectory(prefix="livesnap-apply-") as tmp:
        home = Path(tmp)
        write_manifest(home, endpoint=endpoint, max_rps=configured or rps, now=int(time.time()), streams=streams)
        key_id, secret = SANDBOX_KEYS["tencent"]
        env = dict(os.environ, TENCENTCLOUD_SECRET_ID=key_id, TENCENTCLOUD_SECRET_KEY=secret, NO_COLOR="1")
        cmd = [sys.executable, "-m", "bench.cli_shim", "--state", state or str(home / "state.json"), "apply",
               "--auto-approve", "--format", "json", *(["--parallelism", str(parallelism)] if parallelism else []),
               str(home)]
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                cwd=Path(__file__).resolve().parent.parent)
        stamps, summary, failed_msgs = [], {}, []
        assert proc.stdout is not None
        for line in proc.stdout:
            now = time.perf_counter()
            try:
                doc = json.loads(line)
            except ValueError:
                continue
            if doc.get("type") == "change":
                if doc.get("status") == "ok" and doc.get("action") == "create":
                    stamps.append(now)
                elif doc.get("status") == "failed":
                    failed_msgs.append(f"{doc.get('code', '')} {doc.get('message', '')}")
            elif doc.get("type") == "summary":
                summary = doc
        stderr = proc.stderr.read() if proc.stderr else ""
        code = proc.wait()
        wall = time.perf_counter() - started
    retried = len(re.findall(r"CreateScreenshotTask attempt \d+ failed \(Throttled\)", stderr))
    throttle_errors = sum(1 for m in failed_msgs if re.search(r"throttl|RequestLimitExceeded", m, re.I))
    rate = _rate(stamps)
    client = "livesnap apply" + (f", max_rps {configured:g} ({configured / limit:g}x the limit)" if configured else "")
    return {"client": client, "limit_rps": limit, "configured_rps": configured or limit,
            "parallelism": parallelism or "auto", "exit_code": code,
            "created": len(stamps), "failed": int(summary.get("failed", len(failed_msgs))),
            "throttle_errors_seen": throttle_errors, "throttled_retried": retried,
            "achieved_rps": round(rate, 2), "fraction_of_limit": round(rate / limit, 3),
            "process_wall_s": round(wall, 2), "stderr_tail": stderr.strip().splitlines()[-3:] if code else []}


def run_sdk(*, limit: float, retryer: bool, threads: int) -> dict[str, Any]:
    from tencentcloud.common import credential
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.common.retry import StandardRetryer
    from tencentcloud.live.v20180801 import live_client, models

    from livesnap_reconcile.emulator import SANDBOX_KEYS

    with sandbox_server(rps=None if limit == 20 else limit) as endpoint:
        host = endpoint.removeprefix("http://")
        secret_id, secret_key = SANDBOX_KEYS["tencent"]

        def client() -> Any:
            profile = ClientProfile(httpProfile=HttpProfile(endpoint=host, protocol="http", reqMethod="POST"),
                                    retryer=StandardRetryer() if retryer else None)
            return live_client.LiveClient(credential.Credential(secret_id, secret_key), "ap-guangzhou", profile)

        clients = [client() for _ in range(threads)]
        jobs = occurrences(int(time.time()))
        stamps: list[float] = []
        errors: dict[str, int] = {}

        def create(index: int) -> None:
            stream, start, end = jobs[index]
            req = models.CreateScreenshotTaskRequest()
            req.from_json_string(json.dumps({"StreamName": stream, "DomainName": "5000.live.push.com",
                                             "AppName": "live", "StartTime": start, "EndTime": end,
                                             "TemplateId": TEMPLATE_ID}))
            try:
                clients[index % threads].CreateScreenshotTask(req)
                stamps.append(time.perf_counter())
            except TencentCloudSDKException as exc:
                errors[exc.get_code()] = errors.get(exc.get_code(), 0) + 1

        started = time.perf_counter()
        if threads == 1:
            for i in range(len(jobs)):
                create(i)
        else:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                list(pool.map(create, range(len(jobs))))
        wall = time.perf_counter() - started
    rate = _rate(stamps)
    throttled = sum(n for code, n in errors.items() if code.startswith("RequestLimitExceeded"))
    return {"client": f"tencent sdk, {'1 thread (plain loop)' if threads == 1 else f'{threads} threads'}"
                      f"{', StandardRetryer' if retryer else ''}",
            "limit_rps": limit, "parallelism": threads, "created": len(stamps), "failed": sum(errors.values()),
            "errors": errors, "throttle_errors_seen": throttled, "achieved_rps": round(rate, 2),
            "fraction_of_limit": round(rate / limit, 3), "process_wall_s": round(wall, 2)}


def scenarios(quick: bool = False) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for limit in (20.0, 200.0):
        out.append(("livesnap", {"limit": limit}))  # default options: the pool sized from rate x latency
        if limit == 200.0:
            out.append(("livesnap", {"limit": limit, "parallelism": 10}))  # the fixed default before
            out.append(("livesnap", {"limit": limit, "parallelism": 20}))
        else:  # configured at 4x the server's real limit: throughput comes from adaptive pacing
            out.append(("livesnap", {"limit": limit, "parallelism": 20, "configured": 4 * limit}))
        for threads in (1, 10):
            for retryer in (False, True):
                out.append(("sdk", {"limit": limit, "retryer": retryer, "threads": threads}))
    return out


def main() -> None:
    results = []
    for kind, kwargs in scenarios():
        result = run_livesnap(**kwargs) if kind == "livesnap" else run_sdk(**kwargs)
        print(json.dumps(result), flush=True)
        results.append(result)


if __name__ == "__main__":
    main()
