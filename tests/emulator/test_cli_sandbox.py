"""`livesnap sandbox clock` and `livesnap sandbox serve` (a real subprocess, stopped by SIGTERM)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import httpx
from click.testing import CliRunner

from livesnap_reconcile.cli.main import cli
from livesnap_reconcile.emulator import SANDBOX_KEYS, Emulator
from tests.emulator.helpers import Caller, ice_template, submit_job


def test_clock_set_advance_and_show(tmp_path):
    runner = CliRunner()
    data = str(tmp_path)
    out = runner.invoke(cli, ["sandbox", "clock", "--data", data, "--set", "2026-11-25T09:00:00+08:00", "--create"])
    assert out.exit_code == 0 and out.output.startswith("2026-11-25T01:00:00Z")
    out = runner.invoke(cli, ["sandbox", "clock", "--data", data, "--advance", "1h30m"])
    assert out.output.startswith("2026-11-25T02:30:00Z") and "frozen" in out.output
    assert Emulator(data_dir=tmp_path).clock.now() == 1_795_573_800


def test_clock_bad_input_is_one_clear_error(tmp_path):
    runner = CliRunner()
    naive = runner.invoke(cli, ["sandbox", "clock", "--data", str(tmp_path), "--set", "2026-11-25T09:00", "--create"])
    assert naive.exit_code != 0 and "no UTC offset" in naive.output
    bad = runner.invoke(cli, ["sandbox", "clock", "--data", str(tmp_path), "--advance", "soon", "--create"])
    assert bad.exit_code != 0 and "not a duration" in bad.output and "Traceback" not in bad.output


def test_serve_prints_endpoint_and_exports_then_stops_on_sigterm(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # prove the explicit flush
    proc = subprocess.Popen([sys.executable, "-c", "from livesnap_reconcile.cli.main import main; main()",
                             "sandbox", "serve", "--port", "0", "--data", str(tmp_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        first = proc.stdout.readline()  # flushed at once although stdout is a pipe
        url = first.split(" on ", 1)[1].split()[0]
        lines = [proc.stdout.readline().strip() for _ in range(5)]
        assert f"export TENCENTCLOUD_SECRET_ID={SANDBOX_KEYS['tencent'][0]}" in lines
        assert f"export ALIBABA_CLOUD_ACCESS_KEY_SECRET={SANDBOX_KEYS['alibaba'][1]}" in lines
        request = Caller(Emulator()).ice_request("ListLiveSnapshotTemplates", method="GET")
        resp = httpx.get(url + "/", headers=dict(request.headers))
        assert resp.status_code == 200 and resp.json()["TotalCount"] == 1
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert "stopped" in out and "Traceback" not in err


def test_oidc_token_command_mints_a_token_the_sandbox_sts_accepts(tmp_path):
    from livesnap_reconcile.emulator.identity import OIDC_ISSUER, verify_jwt

    runner = CliRunner()
    assert runner.invoke(cli, ["sandbox", "clock", "--data", str(tmp_path), "--set", "2026-11-25T09:00:00Z",
                               "--create"]).exit_code == 0
    result = runner.invoke(cli, ["sandbox", "oidc-token", "--vendor", "tencent", "--data", str(tmp_path),
                                 "--lifetime", "5m"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    now = 1_795_597_200  # 2026-11-25T09:00:00Z, the sandbox clock
    claims = verify_jwt(token, issuer=OIDC_ISSUER, audience="sts.tencentcloudapi.com", now=now)
    assert claims["exp"] == now + 300
    emulator = Emulator(data_dir=tmp_path)
    emulator.identity.check_oidc("tencent", "livesnap-sandbox", token)


def test_the_sandbox_publishes_its_oidc_issuer_and_key():
    import base64
    import hashlib
    import hmac

    from livesnap_reconcile.emulator.identity import OIDC_ISSUER

    emulator = Emulator()
    client = httpx.Client(transport=emulator.transport(), base_url="http://sandbox.localhost")
    config = client.get("/.well-known/openid-configuration").json()
    assert config["issuer"] == OIDC_ISSUER and config["jwks_uri"].endswith("/.well-known/jwks.json")
    [key] = client.get("/.well-known/jwks.json").json()["keys"]
    secret = base64.urlsafe_b64decode(key["k"] + "=" * (-len(key["k"]) % 4))
    head, body, sig = emulator.identity.mint_oidc("alibaba").split(".")
    expected = base64.urlsafe_b64encode(hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest())
    assert expected.rstrip(b"=").decode() == sig


def test_clock_without_a_sandbox_is_an_error_not_a_new_sandbox(tmp_path):
    runner = CliRunner()
    mistyped = tmp_path / "sanbdox"
    result = runner.invoke(cli, ["sandbox", "clock", "--data", str(mistyped), "--advance", "1d"])
    assert result.exit_code == 1
    assert f"no sandbox at {mistyped}" in result.output and "--create" in result.output
    assert not mistyped.exists()
    Emulator(data_dir=tmp_path / "real")  # an existing sandbox: its store is written at start
    assert runner.invoke(cli, ["sandbox", "clock", "--data", str(tmp_path / "real")]).exit_code == 0



def test_stream_offline_and_live_change_the_sandbox_and_a_missing_one_is_an_error(tmp_path):
    runner = CliRunner()
    url = "rtmp://push.example.com/live/a"
    missing = runner.invoke(cli, ["sandbox", "stream", url, "--data", str(tmp_path / "nope")])
    assert missing.exit_code == 1 and "no sandbox at" in missing.output and "Traceback" not in missing.output
    caller = Caller(Emulator(data_dir=tmp_path))
    job_id = submit_job(caller, ice_template(caller), url=url).json()["JobId"]
    out = runner.invoke(cli, ["sandbox", "stream", url, "--offline", "--data", str(tmp_path)])
    assert out.exit_code == 0 and f"{url} is offline" in out.output
    assert [j["Status"] for j in Emulator(data_dir=tmp_path).alibaba_jobs() if j["JobId"] == job_id] == ["init"]
    assert runner.invoke(cli, ["sandbox", "stream", url, "--live", "--data", str(tmp_path)]).exit_code == 0
    assert caller.ice("SendLiveSnapshotJobCommand", JobId=job_id, Command="start").status_code == 200
