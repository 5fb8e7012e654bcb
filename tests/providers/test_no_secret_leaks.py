"""After a real apply with temporary credentials, no secret or session token is anywhere.

The CLI (not --sandbox: the real credential chains) applies a manifest against the sandbox over
loopback, each vendor assuming a role with STS; the run is recorded to a cassette. Then every
output, the saved plan, the state file, the debug log and the cassette are searched for every
secret, session token and OIDC token the sandbox ever issued or was sent.
"""

from __future__ import annotations

import logging

import pytest
from click.testing import CliRunner

from livesnap_reconcile.cli.main import cli
from livesnap_reconcile.emulator import SANDBOX_KEYS, Emulator, serve
from livesnap_reconcile.emulator.identity import ROLES
from tests.providers.test_cassettes import player

MANIFEST = """\
version: 1
namespace: leaks
providers:
  ice: {{vendor: alibaba, region: cn-shanghai, endpoint: "{url}"}}
  css: {{vendor: tencent, region: ap-guangzhou, endpoint: "{url}"}}
templates:
  every-10s: {{provider: ice, interval: 10, sequence_format: "snap/{{JobId}}/{{UnixTimestamp}}.jpg"}}
  thumbs:
    provider: css
    interval: 10
    width: 640
    cos: {{app_id: 1250000000, bucket: thumbs, region: ap-guangzhou}}
streams:
  stage:
    provider: ice
    rtmp_url: rtmp://push.example.com/live/stage
    output: {{bucket: media, endpoint: oss-cn-shanghai.aliyuncs.com}}
    snapshots:
      always: {{template: every-10s}}
"""


@pytest.fixture
def server():
    emulator = Emulator()
    srv = serve(emulator)
    yield emulator, srv
    srv.shutdown()


def test_apply_with_assumed_roles_leaks_nothing(server, tmp_path, monkeypatch, caplog):
    emulator, srv = server
    for name in list(__import__("os").environ):
        if name.startswith(("ALIBABA_CLOUD_", "TENCENTCLOUD_", "TKE_", "LIVESNAP_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", SANDBOX_KEYS["alibaba"][0])
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SANDBOX_KEYS["alibaba"][1])
    monkeypatch.setenv("ALIBABA_CLOUD_ROLE_ARN", ROLES["alibaba"][0])
    monkeypatch.setenv("TENCENTCLOUD_SECRET_ID", SANDBOX_KEYS["tencent"][0])
    monkeypatch.setenv("TENCENTCLOUD_SECRET_KEY", SANDBOX_KEYS["tencent"][1])
    monkeypatch.setenv("TENCENTCLOUD_ROLE_ARN", ROLES["tencent"][0])
    monkeypatch.setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
    monkeypatch.setenv("TENCENTCLOUD_CVM_METADATA_DISABLED", "true")
    work = tmp_path / "work"
    work.mkdir()
    (work / "live.yaml").write_text(MANIFEST.format(url=srv.url))
    plan_file = tmp_path / "plan.json"
    runner = CliRunner()
    outputs = []
    caplog.set_level(logging.DEBUG)
    with player("all", tmp_path / "cassettes").use_cassette("apply.yaml"):
        for args in (["providers", str(work)], ["providers", str(work), "--format", "json"],
                     ["plan", str(work), "-o", str(plan_file), "--format", "json"], ["-v", "apply", str(plan_file)],
                     ["-v", "plan", str(work)], ["drift", str(work), "--format", "json"], ["state", "list"]):
            if args[0] == "state":
                args = ["--state", str(work / ".livesnap" / "state.json"), *args]
            result = runner.invoke(cli, args)
            assert result.exit_code in (0, 2), (args, result.output)
            outputs.append(result.output)
    issued = emulator.identity.issued
    assert len(issued) >= 2 and {k.vendor for k in issued} == {"alibaba", "tencent"}
    assert "assume" in outputs[0] and ROLES["alibaba"][0] in outputs[0]
    assert len(emulator.alibaba_jobs()) == 1
    secrets = [v for k in issued for v in (k.secret, k.token)]
    secrets += [SANDBOX_KEYS["alibaba"][1], SANDBOX_KEYS["tencent"][1]]
    haystacks = {"outputs": "\n".join(outputs), "plan": plan_file.read_text(),
                 "state": (work / ".livesnap" / "state.json").read_text(),
                 # livesnap's own loggers (vcrpy logs the raw exchanges it records, before scrubbing)
                 "log": "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records
                                  if r.name.startswith("livesnap")),
                 "cassette": (tmp_path / "cassettes" / "apply.yaml").read_text()}
    assert "AssumeRole" in haystacks["cassette"]
    for where, text in haystacks.items():
        for secret in secrets:
            assert secret not in text, f"a secret or session token appears in the {where}"
