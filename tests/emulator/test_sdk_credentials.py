"""The official credential libraries as oracles for the sandbox's STS and metadata services.

What we test here: tencentcloud-sdk-python-common's `STSAssumeRoleCredential` (TC3, service sts),
`OIDCRoleArnCredential` (Authorization: SKIP) and `CVMRoleCredential`, and alibabacloud-credentials'
`EcsRamRoleCredentialsProvider` (with its metadata session token) all get credentials from the
sandbox over loopback, and those credentials sign API calls the sandbox accepts. (Alibaba's
`RamRoleArn`/`OIDC` providers force https and signature v1, which the loopback sandbox does not serve.)
"""

from __future__ import annotations

import pytest
from alibabacloud_credentials.provider.ecs_ram_role import EcsRamRoleCredentialsProvider
from alibabacloud_ice20201109 import models as ice_models
from alibabacloud_ice20201109.client import Client as IceClient
from alibabacloud_tea_openapi import models as open_api_models
from tencentcloud.common import credential
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.live.v20180801 import models

from livesnap_reconcile.emulator import SANDBOX_KEYS
from livesnap_reconcile.emulator.identity import ROLES
from tests.emulator.sdk import served, tencent_client

TC_ROLE = ROLES["tencent"][0]


class _PlainHttpProfile(HttpProfile):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("protocol", "http")
        super().__init__(*args, **kwargs)


@pytest.fixture
def plain_http(monkeypatch):
    """The SDK's STS credential classes build their own HttpProfile (https): make it http for loopback."""
    monkeypatch.setattr(credential, "HttpProfile", _PlainHttpProfile)


def _describe_templates(endpoint: str, secret_id: str, secret_key: str, token: str) -> None:
    client = tencent_client(endpoint)
    client.credential = credential.Credential(secret_id, secret_key, token)
    client.DescribeLiveSnapshotTemplates(models.DescribeLiveSnapshotTemplatesRequest())


def test_tencent_sdk_assume_role_against_the_sandbox(plain_http):
    with served() as (emu, endpoint):
        cred = credential.STSAssumeRoleCredential(*SANDBOX_KEYS["tencent"], TC_ROLE, "oracle", endpoint=endpoint)
        secret_id, secret_key, token = cred.get_credential_info()
        assert [k.key_id for k in emu.identity.issued] == [secret_id]
        _describe_templates(endpoint, secret_id, secret_key, token)


def test_tencent_sdk_oidc_against_the_sandbox(plain_http):
    with served() as (emu, endpoint):
        token = emu.identity.mint_oidc("tencent")
        cred = credential.OIDCRoleArnCredential("ap-guangzhou", "livesnap-sandbox", token, TC_ROLE, "oracle",
                                                duration_seconds=3600, endpoint=endpoint)
        _describe_templates(endpoint, *cred.get_credential_info())
        assert emu.identity.issued[0].role_arn == TC_ROLE


def test_tencent_sdk_cvm_role_against_the_sandbox():
    with served() as (emu, endpoint):
        cred = credential.CVMRoleCredential()
        cred._role_endpoint = f"http://{endpoint}/latest/meta-data/cam/security-credentials/"
        _describe_templates(endpoint, *cred.get_credential_info())
        assert cred.get_role_name() == "livesnap-cvm"


def test_alibaba_sdk_ecs_role_with_metadata_token_against_the_sandbox():
    with served() as (emu, endpoint):
        provider = EcsRamRoleCredentialsProvider(disable_imds_v1=True, async_update_enabled=False)
        provider._EcsRamRoleCredentialsProvider__metadata_service_host = endpoint
        creds = provider._refresh_credentials().value()
        assert creds.get_access_key_id() == emu.identity.issued[0].key_id
        client = IceClient(open_api_models.Config(
            access_key_id=creds.get_access_key_id(), access_key_secret=creds.get_access_key_secret(),
            security_token=creds.get_security_token(), endpoint=endpoint, protocol="http", region_id="cn-shanghai"))
        client.list_live_snapshot_templates(ice_models.ListLiveSnapshotTemplatesRequest())
