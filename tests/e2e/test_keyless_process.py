"""Keyless end to end in real processes: `livesnap` subprocesses with no access keys at all, only
CI-style OIDC variables, apply and re-plan against a loopback sandbox, and `livesnap providers`
names the assumed roles. What a GitHub or GitLab job does, minus the cloud."""

from __future__ import annotations

import json
import os
import subprocess

from livesnap_reconcile.emulator import Emulator, serve
from livesnap_reconcile.emulator.identity import ROLES
from tests.e2e.procs import livesnap_argv
from tests.providers.test_no_secret_leaks import MANIFEST


def test_oidc_only_ci_job_applies_and_replans_clean(tmp_path):
    emulator = Emulator()
    server = serve(emulator)
    try:
        (tmp_path / "alibaba.jwt").write_text(emulator.identity.mint_oidc("alibaba"))
        (tmp_path / "tencent.jwt").write_text(emulator.identity.mint_oidc("tencent"))
        work = tmp_path / "manifests"
        work.mkdir()
        (work / "live.yaml").write_text(MANIFEST.format(url=server.url))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ALIBABA_CLOUD_", "TENCENTCLOUD_", "TKE_"))}
        env.update(HOME=str(tmp_path), NO_COLOR="1",
                   ALIBABA_CLOUD_ROLE_ARN=ROLES["alibaba"][0],
                   ALIBABA_CLOUD_OIDC_PROVIDER_ARN="acs:ram::1234567890123456:oidc-provider/livesnap-sandbox",
                   ALIBABA_CLOUD_OIDC_TOKEN_FILE=str(tmp_path / "alibaba.jwt"),
                   ALIBABA_CLOUD_ECS_METADATA_DISABLED="true", TENCENTCLOUD_CVM_METADATA_DISABLED="true",
                   TKE_REGION="ap-guangzhou", TKE_PROVIDER_ID="livesnap-sandbox", TKE_ROLE_ARN=ROLES["tencent"][0],
                   TKE_WEB_IDENTITY_TOKEN_FILE=str(tmp_path / "tencent.jwt"))

        def run(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run([*livesnap_argv(), *args], cwd=tmp_path, env=env, capture_output=True, text=True,
                                  timeout=60)

        shown = run("providers", str(work), "--format", "json")
        assert shown.returncode == 0, shown.stderr
        kinds = {row["provider"]: (row["source"], row["identity"]) for row in json.loads(shown.stdout)["providers"]}
        assert kinds == {"ice": ("oidc_role_arn", ROLES["alibaba"][0]), "css": ("oidc_role_arn", ROLES["tencent"][0])}
        applied = run("apply", str(work), "--auto-approve")
        assert applied.returncode == 0, applied.stderr
        again = run("plan", str(work), "--detailed-exitcode")
        assert again.returncode == 0, again.stdout + again.stderr
    finally:
        server.shutdown()
    assert len(emulator.alibaba_jobs()) == 1
    for key in emulator.identity.issued:
        for text in (shown.stdout, applied.stdout, applied.stderr, again.stdout):
            assert key.secret not in text and key.token not in text
