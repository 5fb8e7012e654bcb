"""Credential resolution with fake env and home: order, profiles, file formats, clear errors, no leaks."""

from __future__ import annotations

import json

import pytest

from livesnap_reconcile.errors import AuthError
from livesnap_reconcile.providers import make_provider
from livesnap_reconcile.providers.alibaba.credentials import resolve as ali
from livesnap_reconcile.providers.credentials_common import Credentials
from livesnap_reconcile.providers.tencent.credentials import resolve as tc
from livesnap_reconcile.resources import ProviderConfig

SECRET = "s3cr3t-value-never-printed"


def write_aliyun(home, profiles, current="p1"):
    (home / ".aliyun").mkdir(parents=True, exist_ok=True)
    (home / ".aliyun" / "config.json").write_text(json.dumps({"current": current, "profiles": profiles}))


def test_alibaba_env_first_with_token(tmp_path):
    write_aliyun(tmp_path, [{"name": "p1", "mode": "AK", "access_key_id": "FILEID", "access_key_secret": "x"}])
    env = {"ALIBABA_CLOUD_ACCESS_KEY_ID": "ENVID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": SECRET,
           "ALIBABA_CLOUD_SECURITY_TOKEN": "tok"}
    creds = ali(provider="ice", profile=None, env=env, home=tmp_path)
    assert (creds.key_id, creds.secret, creds.token, creds.source) == ("ENVID", SECRET, "tok", "env")


def test_alibaba_cli_profiles_current_env_and_manifest(tmp_path):
    write_aliyun(tmp_path, [
        {"name": "p1", "mode": "AK", "access_key_id": "ID1", "access_key_secret": "S1"},
        {"name": "p2", "mode": "StsToken", "access_key_id": "ID2", "access_key_secret": "S2", "sts_token": "T2"},
    ])
    assert ali(provider="ice", profile=None, env={}, home=tmp_path).key_id == "ID1"
    by_env = ali(provider="ice", profile=None, env={"ALIBABA_CLOUD_PROFILE": "p2"}, home=tmp_path)
    assert (by_env.key_id, by_env.token) == ("ID2", "T2")
    # A manifest profile wins over env keys and ALIBABA_CLOUD_PROFILE.
    env = {"ALIBABA_CLOUD_ACCESS_KEY_ID": "ENVID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "E", "ALIBABA_CLOUD_PROFILE": "p1"}
    assert ali(provider="ice", profile="p2", env=env, home=tmp_path).key_id == "ID2"


def test_alibaba_ini_fallback_and_cli_disable(tmp_path):
    write_aliyun(tmp_path, [{"name": "p1", "mode": "AK", "access_key_id": "CLIID", "access_key_secret": "S"}])
    (tmp_path / ".alibabacloud").mkdir()
    (tmp_path / ".alibabacloud" / "credentials.ini").write_text(
        "[default]\ntype = access_key\naccess_key_id = INIID  # comment\naccess_key_secret = INISECRET\n")
    creds = ali(provider="ice", profile=None, env={"ALIBABA_CLOUD_CLI_PROFILE_DISABLED": "true"}, home=tmp_path)
    assert (creds.key_id, creds.secret) == ("INIID", "INISECRET")


def test_alibaba_unsupported_mode_is_a_clear_error(tmp_path):
    write_aliyun(tmp_path, [{"name": "p1", "mode": "CloudSSO"}])
    with pytest.raises(AuthError, match="CloudSSO"):
        ali(provider="ice", profile=None, env={}, home=tmp_path)


def test_alibaba_missing_names_provider_and_everything_tried(tmp_path):
    with pytest.raises(AuthError) as info:
        ali(provider="ice-sh", profile=None, env={}, home=tmp_path)
    text = str(info.value)
    for fragment in ("ice-sh", "ALIBABA_CLOUD_ACCESS_KEY_ID", ".aliyun/config.json", "credentials.ini"):
        assert fragment in text


def test_tencent_env_token_variants(tmp_path):
    base = {"TENCENTCLOUD_SECRET_ID": "AKIDENV", "TENCENTCLOUD_SECRET_KEY": SECRET}
    assert tc(provider="css", profile=None, env=base, home=tmp_path).token is None
    assert tc(provider="css", profile=None, env={**base, "TENCENTCLOUD_SESSION_TOKEN": "st"}, home=tmp_path).token == "st"
    both = {**base, "TENCENTCLOUD_SESSION_TOKEN": "st", "TENCENTCLOUD_TOKEN": "tt"}
    assert tc(provider="css", profile=None, env=both, home=tmp_path).token == "tt"


def test_tencent_file_strips_quotes_and_honours_profile(tmp_path):
    (tmp_path / ".tencentcloud").mkdir()
    (tmp_path / ".tencentcloud" / "credentials").write_text(
        '[default]\nsecret_id = "AKIDq"\nsecret_key = \'KEYq\'\n[prod]\nsecret_id = AKIDp\nsecret_key = KEYp\n')
    creds = tc(provider="css", profile=None, env={}, home=tmp_path)
    assert (creds.key_id, creds.secret) == ("AKIDq", "KEYq")
    assert tc(provider="css", profile="prod", env={}, home=tmp_path).key_id == "AKIDp"


def test_tencent_missing_names_everything_tried(tmp_path):
    with pytest.raises(AuthError) as info:
        tc(provider="css-gz", profile=None, env={"TENCENTCLOUD_SECRET_ID": "only-id"}, home=tmp_path)
    assert "css-gz" in str(info.value) and "TENCENTCLOUD_SECRET_KEY" in str(info.value)
    assert ".tencentcloud/credentials" in str(info.value)


def test_broken_file_does_not_echo_its_content(tmp_path):
    (tmp_path / ".tencentcloud").mkdir()
    (tmp_path / ".tencentcloud" / "credentials").write_text(f"secret_key = {SECRET}\n")  # no section header
    with pytest.raises(AuthError) as info:
        tc(provider="css", profile=None, env={}, home=tmp_path)
    assert SECRET not in str(info.value) and SECRET not in repr(info.value)


def test_credentials_repr_hides_secret_and_token():
    creds = Credentials("AKIDabcdefgh1234", SECRET, "token-" + SECRET)
    for text in (repr(creds), str(creds)):
        assert SECRET not in text and "AKIDabcdefgh1234" not in text


def test_make_provider_resolves_from_injected_env_and_fails_clearly(tmp_path):
    config = ProviderConfig(name="css", vendor="tencent", region="ap-guangzhou")
    env = {"TENCENTCLOUD_SECRET_ID": "AKIDENV", "TENCENTCLOUD_SECRET_KEY": SECRET}
    provider = make_provider(config, env=env, home=tmp_path)
    assert SECRET not in repr(provider)
    with pytest.raises(AuthError, match="css"):
        make_provider(config, env={}, home=tmp_path)
