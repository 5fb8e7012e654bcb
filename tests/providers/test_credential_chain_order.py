"""Which source each vendor's chain picks when several apply: the official default chains' order.

Sources are only chosen here (their `kind`), against the in-process sandbox so that probes of
metadata and role assumptions answer without a cloud.
"""

from __future__ import annotations

import json

import pytest

from livesnap_reconcile.emulator import SANDBOX_KEYS, Emulator
from livesnap_reconcile.emulator.identity import ROLES
from livesnap_reconcile.providers import SANDBOX_ENDPOINT
from livesnap_reconcile.providers.alibaba.credentials import chain as ali_chain
from livesnap_reconcile.providers.credential_source import Context
from livesnap_reconcile.providers.tencent.credentials import chain as tc_chain

ALI_ROLE, TC_ROLE = ROLES["alibaba"][0], ROLES["tencent"][0]
ALI_ENV = {"ALIBABA_CLOUD_ACCESS_KEY_ID": SANDBOX_KEYS["alibaba"][0],
           "ALIBABA_CLOUD_ACCESS_KEY_SECRET": SANDBOX_KEYS["alibaba"][1]}
OIDC_ENV = {"ALIBABA_CLOUD_OIDC_PROVIDER_ARN": "acs:ram::1234567890123456:oidc-provider/livesnap-sandbox",
            "ALIBABA_CLOUD_ROLE_ARN": ALI_ROLE, "ALIBABA_CLOUD_OIDC_TOKEN_FILE": "/nonexistent"}


@pytest.fixture
def emu():
    return Emulator()


def ctx(emu, env, home):
    return Context(provider="p", env=env, home=home, transport=emu.transport(), endpoint=SANDBOX_ENDPOINT)


def aliyun(home, mode="AK"):
    (home / ".aliyun").mkdir(exist_ok=True)
    entry = {"name": "default", "mode": mode, "access_key_id": "CLI", "access_key_secret": "S", "ram_role_arn": ALI_ROLE}
    (home / ".aliyun" / "config.json").write_text(json.dumps({"current": "default", "profiles": [entry]}))


def ini(home, body="type = access_key\naccess_key_id = INI\naccess_key_secret = S\n"):
    (home / ".alibabacloud").mkdir(exist_ok=True)
    (home / ".alibabacloud" / "credentials.ini").write_text("[default]\n" + body)


def test_alibaba_order_env_oidc_cli_ini_ecs(emu, tmp_path):
    aliyun(tmp_path)
    ini(tmp_path)
    assert ali_chain(ctx(emu, {**ALI_ENV, **OIDC_ENV}, tmp_path), None).kind == "env"
    assert ali_chain(ctx(emu, OIDC_ENV, tmp_path), None).kind == "oidc_role_arn"
    assert "profile default" in ali_chain(ctx(emu, {}, tmp_path), None).kind
    off = {"ALIBABA_CLOUD_CLI_PROFILE_DISABLED": "true"}
    assert "credentials.ini" in ali_chain(ctx(emu, off, tmp_path), None).kind
    (tmp_path / ".alibabacloud" / "credentials.ini").unlink()
    assert ali_chain(ctx(emu, off, tmp_path), None).kind == "ecs_ram_role"


def test_alibaba_manifest_profile_skips_env_and_oidc(emu, tmp_path):
    aliyun(tmp_path)
    assert "profile default" in ali_chain(ctx(emu, {**ALI_ENV, **OIDC_ENV}, tmp_path), "default").kind


@pytest.mark.parametrize(("body", "kind"), [
    (f"type = ram_role_arn\naccess_key_id = {SANDBOX_KEYS['alibaba'][0]}\n"
     f"access_key_secret = {SANDBOX_KEYS['alibaba'][1]}\nrole_arn = {ALI_ROLE}\n", "ram_role_arn"),
    ("type = ecs_ram_role\nrole_name = livesnap-ecs\n", "ecs_ram_role"),
    ("type = oidc_role_arn\noidc_provider_arn = acs:ram::1234567890123456:oidc-provider/livesnap-sandbox\n"
     f"role_arn = {ALI_ROLE}\noidc_token_file_path = TOKEN\n", "oidc_role_arn"),
])
def test_alibaba_ini_role_types(emu, tmp_path, body, kind):
    token = tmp_path / "token"
    token.write_text(emu.identity.mint_oidc("alibaba"))
    ini(tmp_path, body.replace("TOKEN", str(token)))
    source = ali_chain(ctx(emu, {"ALIBABA_CLOUD_CLI_PROFILE_DISABLED": "true"}, tmp_path), None)
    assert kind in source.kind
    source.get()


def test_alibaba_chainable_profile_cycle_is_a_clear_error(emu, tmp_path):
    (tmp_path / ".aliyun").mkdir()
    profiles = [{"name": "a", "mode": "ChainableRamRoleArn", "source_profile": "b", "ram_role_arn": ALI_ROLE},
                {"name": "b", "mode": "ChainableRamRoleArn", "source_profile": "a", "ram_role_arn": ALI_ROLE}]
    (tmp_path / ".aliyun" / "config.json").write_text(json.dumps({"current": "a", "profiles": profiles}))
    with pytest.raises(Exception, match="circular"):
        ali_chain(ctx(emu, {}, tmp_path), None)


def test_tencent_order_env_file_cvm_oidc(emu, tmp_path):
    env = {"TENCENTCLOUD_SECRET_ID": "AKIDenv", "TENCENTCLOUD_SECRET_KEY": "k"}
    oidc = {"TKE_REGION": "ap-guangzhou", "TKE_PROVIDER_ID": "livesnap-sandbox", "TKE_ROLE_ARN": TC_ROLE,
            "TKE_WEB_IDENTITY_TOKEN_FILE": "/nonexistent"}
    (tmp_path / ".tencentcloud").mkdir()
    (tmp_path / ".tencentcloud" / "credentials").write_text("[default]\nsecret_id = AKIDfile\nsecret_key = k\n")
    assert tc_chain(ctx(emu, {**env, **oidc}, tmp_path), None).kind == "env"
    assert "credentials [default]" in tc_chain(ctx(emu, oidc, tmp_path), None).kind
    (tmp_path / ".tencentcloud" / "credentials").unlink()
    assert tc_chain(ctx(emu, oidc, tmp_path), None).kind == "cvm_role"
    emu.identity.instance_roles["tencent"] = None
    assert tc_chain(ctx(emu, oidc, tmp_path), None).kind == "oidc_role_arn"
    with pytest.raises(Exception, match="CVM instance metadata"):
        tc_chain(ctx(emu, {}, tmp_path), None)
