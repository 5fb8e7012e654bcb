"""`livesnap providers`: the chosen credential source, identity and expiry per provider; a refused
role is one line on stderr with exit 1; never a secret."""

from __future__ import annotations

import json

from click.testing import CliRunner

from livesnap_reconcile.cli.main import cli
from livesnap_reconcile.emulator import SANDBOX_KEYS, Emulator, serve
from livesnap_reconcile.emulator.identity import ROLES
from tests.providers.test_no_secret_leaks import MANIFEST


def _env(home, **extra):
    env = {"HOME": str(home), "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true", "TENCENTCLOUD_CVM_METADATA_DISABLED": "true",
           "ALIBABA_CLOUD_ACCESS_KEY_ID": SANDBOX_KEYS["alibaba"][0],
           "ALIBABA_CLOUD_ACCESS_KEY_SECRET": SANDBOX_KEYS["alibaba"][1],
           "TENCENTCLOUD_SECRET_ID": SANDBOX_KEYS["tencent"][0], "TENCENTCLOUD_SECRET_KEY": SANDBOX_KEYS["tencent"][1]}
    return {**env, **extra}


def test_sources_identities_and_expiry_without_secrets(tmp_path):
    emulator = Emulator()
    server = serve(emulator)
    try:
        (tmp_path / "live.yaml").write_text(MANIFEST.format(url=server.url))
        env = _env(tmp_path, ALIBABA_CLOUD_ROLE_ARN=ROLES["alibaba"][0])
        text = CliRunner().invoke(cli, ["providers", str(tmp_path)], env=env)
        doc = CliRunner().invoke(cli, ["providers", str(tmp_path), "--format", "json"], env=env)
    finally:
        server.shutdown()
    assert text.exit_code == 0, text.output
    ice, css = sorted(json.loads(doc.output)["providers"], key=lambda r: r["provider"], reverse=True)
    assert (ice["source"], ice["identity"], ice["temporary"]) == ("env + ram_role_arn", ROLES["alibaba"][0], True)
    assert ice["expires_at"].endswith("Z") and css["source"] == "env" and css["expires_at"] is None
    assert css["key_id"] != SANDBOX_KEYS["tencent"][0] and "****" in css["key_id"]
    assert ice["caller"] == "acs:ram::1234567890123456:assumed-role/livesnap-deployer/" + emulator.identity.issued[-1].session
    assert css["caller"] == "qcs::cam::uin/100000000001:uin/100000000002" and "assumed-role/livesnap-deployer/" in text.output
    for issued in emulator.identity.issued:
        assert issued.secret not in text.output + doc.output and issued.token not in text.output + doc.output
    assert SANDBOX_KEYS["tencent"][1] not in text.output + doc.output


def test_a_refused_role_is_one_line_and_exit_1(tmp_path):
    emulator = Emulator()
    server = serve(emulator)
    bad = "acs:ram::1234567890123456:role/not-mine"
    try:
        (tmp_path / "live.yaml").write_text(MANIFEST.format(url=server.url))
        result = CliRunner().invoke(cli, ["plan", str(tmp_path)], env=_env(tmp_path, ALIBABA_CLOUD_ROLE_ARN=bad))
    finally:
        server.shutdown()
    assert result.exit_code == 1 and "Traceback" not in result.output
    [line] = [x for x in result.output.splitlines() if x.strip()]
    assert "provider 'ice'" in line and bad in line and "refused" in line
