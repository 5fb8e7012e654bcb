"""Keyless credentials end to end against the sandbox: every chain mode, expiry and refresh, refusals.

What we test here: each Alibaba mode (env keys assuming a role, OIDC/RRSA, ECS instance role, aliyun
CLI profiles RamRoleArn/EcsRamRole/OIDC/ChainableRamRoleArn) and each Tencent mode (keys assuming a
role, CVM instance role, TKE/CI OIDC) signs real API calls the emulator accepts; credentials are
renewed before they expire during a long run, and an expired token is refused by the sandbox; STS
throttling and 5xx are retried; a refused role or a bad OIDC token is one clear line.
"""

from __future__ import annotations

import dataclasses
import json

import httpx
import pytest

from livesnap_reconcile.emulator import SANDBOX_KEYS
from livesnap_reconcile.emulator.identity import ROLES
from livesnap_reconcile.errors import AuthError
from livesnap_reconcile.providers import SANDBOX_ENDPOINT, make_provider
from livesnap_reconcile.resources import ProviderConfig
from tests.providers.conftest import Sandbox

ALI_ROLE = ROLES["alibaba"][0]
TC_ROLE = ROLES["tencent"][0]
ALI_OIDC = "acs:ram::1234567890123456:oidc-provider/livesnap-sandbox"
ALI_KEYS = {"ALIBABA_CLOUD_ACCESS_KEY_ID": SANDBOX_KEYS["alibaba"][0],
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET": SANDBOX_KEYS["alibaba"][1]}
TC_KEYS = {"TENCENTCLOUD_SECRET_ID": SANDBOX_KEYS["tencent"][0], "TENCENTCLOUD_SECRET_KEY": SANDBOX_KEYS["tencent"][1]}
READ = {"alibaba": "ListLiveSnapshotTemplates", "tencent": "DescribeLiveSnapshotTemplates"}


@pytest.fixture
def box():
    sandbox = Sandbox()
    yield sandbox
    sandbox.close()


def chained(box: Sandbox, vendor: str, env: dict, home, *, transport=None, profile=None):
    name = "ice" if vendor == "alibaba" else "css"
    region = "cn-shanghai" if vendor == "alibaba" else "ap-guangzhou"
    config = ProviderConfig(name=name, vendor=vendor, region=region, max_rps=1e6, profile=profile)
    return make_provider(config, env=env, home=home, transport=transport or box.emu.transport(),
                         endpoint=SANDBOX_ENDPOINT, clock=box.clock.now, sleep=box.sleep)


def works(provider) -> None:
    provider.client.rpc(READ[provider.vendor])


def token_file(tmp_path, token: str):
    path = tmp_path / "oidc-token"
    path.write_text(token + "\n")
    return str(path)


def write_aliyun(home, profiles, current):
    (home / ".aliyun").mkdir(parents=True, exist_ok=True)
    (home / ".aliyun" / "config.json").write_text(json.dumps({"current": current, "profiles": profiles}))


# -- Alibaba ---------------------------------------------------------------------------------------

def test_alibaba_env_keys_assume_the_role_and_sign_with_the_session(box, tmp_path):
    env = {**ALI_KEYS, "ALIBABA_CLOUD_ROLE_ARN": ALI_ROLE, "ALIBABA_CLOUD_ROLE_SESSION_NAME": "ci-42"}
    provider = chained(box, "alibaba", env, tmp_path)
    works(provider)
    [issued] = box.emu.identity.issued
    assert (issued.role_arn, issued.session) == (ALI_ROLE, "ci-42")
    source = provider.credential_source
    assert source.kind == "env + ram_role_arn" and source.identity == ALI_ROLE
    assert source.get().key_id == issued.key_id


def test_alibaba_oidc_from_env(box, tmp_path):
    env = {"ALIBABA_CLOUD_OIDC_PROVIDER_ARN": ALI_OIDC, "ALIBABA_CLOUD_ROLE_ARN": ALI_ROLE,
           "ALIBABA_CLOUD_OIDC_TOKEN_FILE": token_file(tmp_path, box.emu.identity.mint_oidc("alibaba"))}
    provider = chained(box, "alibaba", env, tmp_path)
    works(provider)
    assert provider.credential_source.kind == "oidc_role_arn"


def test_alibaba_ecs_instance_role_with_metadata_token(box, tmp_path):
    provider = chained(box, "alibaba", {}, tmp_path)
    works(provider)
    assert provider.credential_source.kind == "ecs_ram_role" and provider.credential_source.identity == "livesnap-ecs"
    assert ("metadata", "/latest/api/token") in box.emu.request_log


def test_alibaba_no_instance_role_means_no_credentials(box, tmp_path):
    box.emu.identity.instance_roles["alibaba"] = None
    with pytest.raises(AuthError, match="ECS instance metadata"):
        chained(box, "alibaba", {}, tmp_path)


@pytest.mark.parametrize("mode", ["RamRoleArn", "EcsRamRole", "OIDC", "ChainableRamRoleArn"])
def test_alibaba_cli_profile_modes(box, tmp_path, mode):
    keys = {"access_key_id": SANDBOX_KEYS["alibaba"][0], "access_key_secret": SANDBOX_KEYS["alibaba"][1]}
    profiles = {
        "RamRoleArn": {"mode": "RamRoleArn", **keys, "ram_role_arn": ALI_ROLE, "ram_session_name": "cli"},
        "EcsRamRole": {"mode": "EcsRamRole", "ram_role_name": "livesnap-ecs"},
        "OIDC": {"mode": "OIDC", "ram_role_arn": ALI_ROLE, "oidc_provider_arn": ALI_OIDC,
                 "oidc_token_file": token_file(tmp_path, box.emu.identity.mint_oidc("alibaba"))},
        "ChainableRamRoleArn": {"mode": "ChainableRamRoleArn", "source_profile": "base", "ram_role_arn": ALI_ROLE},
    }
    write_aliyun(tmp_path, [{"name": "p", **profiles[mode]}, {"name": "base", "mode": "AK", **keys}], current="p")
    provider = chained(box, "alibaba", {}, tmp_path)
    works(provider)
    assert mode in provider.credential_source.kind or provider.credential_source.kind == "ecs_ram_role"


# -- Tencent ---------------------------------------------------------------------------------------

def test_tencent_env_keys_assume_the_role(box, tmp_path):
    provider = chained(box, "tencent", {**TC_KEYS, "TENCENTCLOUD_ROLE_ARN": TC_ROLE}, tmp_path)
    works(provider)
    [issued] = box.emu.identity.issued
    assert issued.role_arn == TC_ROLE and provider.credential_source.identity == TC_ROLE


def test_tencent_profile_role_arn_is_assumed(box, tmp_path):
    (tmp_path / ".tencentcloud").mkdir()
    (tmp_path / ".tencentcloud" / "credentials").write_text(
        f"[default]\nsecret_id = {TC_KEYS['TENCENTCLOUD_SECRET_ID']}\nsecret_key = {TC_KEYS['TENCENTCLOUD_SECRET_KEY']}\n"
        f"role_arn = {TC_ROLE}\n")
    works(chained(box, "tencent", {}, tmp_path))
    assert box.emu.identity.issued[0].role_arn == TC_ROLE


def test_tencent_cvm_instance_role(box, tmp_path):
    provider = chained(box, "tencent", {}, tmp_path)
    works(provider)
    assert provider.credential_source.kind == "cvm_role" and provider.credential_source.identity == "livesnap-cvm"


def test_tencent_tke_oidc_after_cvm(box, tmp_path):
    box.emu.identity.instance_roles["tencent"] = None  # not a CVM: the chain goes on to OIDC
    env = {"TKE_REGION": "ap-guangzhou", "TKE_PROVIDER_ID": "livesnap-sandbox", "TKE_ROLE_ARN": TC_ROLE,
           "TKE_WEB_IDENTITY_TOKEN_FILE": token_file(tmp_path, box.emu.identity.mint_oidc("tencent"))}
    provider = chained(box, "tencent", env, tmp_path)
    works(provider)
    assert provider.credential_source.kind == "oidc_role_arn"


# -- expiry, refresh, retries, refusals -------------------------------------------------------------

@pytest.mark.parametrize("vendor", ["alibaba", "tencent"])
def test_credentials_are_renewed_before_they_expire_during_a_long_run(box, tmp_path, vendor):
    env = ({**ALI_KEYS, "ALIBABA_CLOUD_ROLE_ARN": ALI_ROLE} if vendor == "alibaba"
           else {**TC_KEYS, "TENCENTCLOUD_ROLE_ARN": TC_ROLE})
    provider = chained(box, vendor, env, tmp_path)
    for _ in range(12):  # 12 x 20 min: four hours on one provider, like a long reconcile loop
        works(provider)
        box.clock.advance(1200)
    assert len(box.emu.identity.issued) >= 4
    assert provider.credential_source.fetches == len(box.emu.identity.issued)


@pytest.mark.parametrize("vendor", ["alibaba", "tencent"])
def test_the_sandbox_refuses_an_expired_session_token(box, tmp_path, vendor):
    key = box.emu.identity.issue(vendor, ROLES[vendor][0], "s", 900)
    name = "ice" if vendor == "alibaba" else "css"
    config = ProviderConfig(name=name, vendor=vendor, region="cn-shanghai" if vendor == "alibaba" else "ap-guangzhou")
    provider = make_provider(config, credentials=(key.key_id, key.secret, key.token), transport=box.emu.transport(),
                             endpoint=SANDBOX_ENDPOINT, clock=box.clock.now, sleep=box.sleep)
    works(provider)
    box.clock.advance(901)
    with pytest.raises(AuthError) as info:
        works(provider)
    assert "Expired" in str(info.value) or "TokenFailure" in str(info.value)
    assert key.token not in str(info.value) and key.secret not in str(info.value)


def flaky(box: Sandbox, actions: tuple[str, ...], failures: list[int]):
    """The emulator behind a transport that answers the first STS calls with throttling, then a 503."""
    def handler(request: httpx.Request) -> httpx.Response:
        action = request.headers.get("x-acs-action") or request.headers.get("x-tc-action")
        if action in actions and failures:
            status = failures.pop(0)
            if "x-tc-action" in request.headers:
                code = "RequestLimitExceeded" if status == 429 else "InternalError"
                return httpx.Response(200, json={"Response": {"Error": {"Code": code, "Message": "x"}, "RequestId": "r"}})
            code = "Throttling.User" if status == 429 else "ServiceUnavailable"
            return httpx.Response(status if status != 429 else 400, json={"Code": code, "Message": "x", "RequestId": "r"})
        return box.emu.handle(request)
    return httpx.MockTransport(handler)


@pytest.mark.parametrize("vendor", ["alibaba", "tencent"])
def test_sts_throttling_and_5xx_are_retried(box, tmp_path, vendor):
    env = ({**ALI_KEYS, "ALIBABA_CLOUD_ROLE_ARN": ALI_ROLE} if vendor == "alibaba"
           else {**TC_KEYS, "TENCENTCLOUD_ROLE_ARN": TC_ROLE})
    failures = [429, 503]
    provider = chained(box, vendor, env, tmp_path, transport=flaky(box, ("AssumeRole",), failures))
    works(provider)
    assert failures == [] and len(box.emu.identity.issued) == 1


@pytest.mark.parametrize("vendor", ["alibaba", "tencent"])
def test_a_refused_role_is_one_line_naming_provider_and_role(box, tmp_path, vendor):
    bad = ("acs:ram::1234567890123456:role/not-mine" if vendor == "alibaba"
           else "qcs::cam::uin/100000000001:roleName/not-mine")
    env = ({**ALI_KEYS, "ALIBABA_CLOUD_ROLE_ARN": bad} if vendor == "alibaba" else {**TC_KEYS, "TENCENTCLOUD_ROLE_ARN": bad})
    with pytest.raises(AuthError) as info:
        chained(box, vendor, env, tmp_path)
    text = str(info.value)
    assert "\n" not in text and bad in text and ("'ice'" in text or "'css'" in text) and "refused" in text


@pytest.mark.parametrize(("vendor", "problem"), [("alibaba", "audience"), ("alibaba", "expired"),
                                                  ("tencent", "audience"), ("tencent", "expired")])
def test_a_bad_oidc_token_is_refused(box, tmp_path, vendor, problem):
    identity = box.emu.identity
    token = (identity.mint_oidc(vendor, audience="someone-else") if problem == "audience"
             else identity.mint_oidc(vendor, lifetime=-1))
    if vendor == "alibaba":
        env = {"ALIBABA_CLOUD_OIDC_PROVIDER_ARN": ALI_OIDC, "ALIBABA_CLOUD_ROLE_ARN": ALI_ROLE,
               "ALIBABA_CLOUD_OIDC_TOKEN_FILE": token_file(tmp_path, token)}
    else:
        identity.instance_roles["tencent"] = None
        env = {"TKE_REGION": "ap-guangzhou", "TKE_PROVIDER_ID": "livesnap-sandbox", "TKE_ROLE_ARN": TC_ROLE,
               "TKE_WEB_IDENTITY_TOKEN_FILE": token_file(tmp_path, token)}
    with pytest.raises(AuthError) as info:
        chained(box, vendor, env, tmp_path)
    assert "refused" in str(info.value) and token not in str(info.value)


def test_the_oidc_token_file_is_read_again_on_refresh(box, tmp_path):
    path = tmp_path / "oidc-token"
    path.write_text(box.emu.identity.mint_oidc("alibaba", lifetime=600))
    env = {"ALIBABA_CLOUD_OIDC_PROVIDER_ARN": ALI_OIDC, "ALIBABA_CLOUD_ROLE_ARN": ALI_ROLE,
           "ALIBABA_CLOUD_OIDC_TOKEN_FILE": str(path)}
    provider = chained(box, "alibaba", env, tmp_path)
    box.clock.advance(3500)  # the first OIDC token is long expired; CI/Kubernetes wrote a new one
    path.write_text(box.emu.identity.mint_oidc("alibaba", lifetime=600))
    works(provider)
    assert len(box.emu.identity.issued) == 2


@pytest.mark.parametrize("vendor", ["alibaba", "tencent"])
def test_a_session_the_issuer_already_expired_is_renewed_once_and_the_request_goes_through(box, tmp_path, vendor):
    env = ({**ALI_KEYS, "ALIBABA_CLOUD_ROLE_ARN": ALI_ROLE} if vendor == "alibaba"
           else {**TC_KEYS, "TENCENTCLOUD_ROLE_ARN": TC_ROLE})
    provider = chained(box, vendor, env, tmp_path)
    works(provider)
    identity = box.emu.identity
    [first] = identity.issued
    identity._keys[first.key_id] = dataclasses.replace(first, expires_at=box.clock.now() - 1)  # skewed issuer
    works(provider)
    assert len(identity.issued) == 2 and provider.credential_source.get().key_id == identity.issued[1].key_id


def test_alibaba_credentials_uri_is_the_last_source(box, tmp_path):
    key = box.emu.identity.issue("alibaba", ALI_ROLE, "broker", 3600)
    answer = {"Code": "Success", "AccessKeyId": key.key_id, "AccessKeySecret": key.secret,
              "SecurityToken": key.token, "Expiration": "2026-01-01T01:00:00Z"}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "creds.localhost":
            return httpx.Response(200, json=answer)
        return box.emu.handle(request)

    box.emu.identity.instance_roles["alibaba"] = None
    env = {"ALIBABA_CLOUD_CREDENTIALS_URI": "http://creds.localhost/v1/credentials"}
    provider = chained(box, "alibaba", env, tmp_path, transport=httpx.MockTransport(handler))
    works(provider)
    assert provider.credential_source.kind == "credentials_uri"


@pytest.mark.parametrize("vendor", ["alibaba", "tencent"])
def test_metadata_5xx_is_retried(box, tmp_path, vendor):
    failures = [503, 500]

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.startswith("/latest/meta-data/") and path.rstrip("/").rsplit("/", 1)[-1].startswith("livesnap-") \
                and failures:
            return httpx.Response(failures.pop(0), text="busy")
        return box.emu.handle(request)

    provider = chained(box, vendor, {}, tmp_path, transport=httpx.MockTransport(handler))
    works(provider)
    assert failures == [] and provider.credential_source.kind in ("ecs_ram_role", "cvm_role")


def test_against_a_real_cloud_expiry_is_judged_on_wall_time_not_business_time(box, tmp_path):
    """LIVESNAP_NOW may pin business time days ahead; that must not make every session look expired."""
    config = ProviderConfig(name="ice", vendor="alibaba", region="cn-shanghai", max_rps=1e6)
    env = {**ALI_KEYS, "ALIBABA_CLOUD_ROLE_ARN": ALI_ROLE}
    provider = make_provider(config, env=env, home=tmp_path, transport=box.emu.transport(),
                             clock=box.clock.now, now=lambda: box.clock.now() + 30 * 86400, sleep=box.sleep)
    assert provider.endpoint == "https://ice.cn-shanghai.aliyuncs.com"
    for _ in range(3):
        works(provider)
    assert len(box.emu.identity.issued) == 1


def _no_token_service(box: Sandbox) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/latest/api/token":
            return httpx.Response(404, text="not found")  # an older instance without session tokens
        return box.emu.handle(request)
    return httpx.MockTransport(handler)


def test_ecs_without_session_tokens_falls_back_to_plain_reads_unless_disabled(box, tmp_path):
    box.emu.metadata.require_token = False
    provider = chained(box, "alibaba", {}, tmp_path, transport=_no_token_service(box))
    works(provider)
    with pytest.raises(AuthError, match="ECS instance metadata"):
        chained(box, "alibaba", {"ALIBABA_CLOUD_IMDSV1_DISABLED": "true"}, tmp_path, transport=_no_token_service(box))
