"""Providers and templates: names, addresses and the vendor defaults filled in explicitly."""

from __future__ import annotations

import pytest

from livesnap_reconcile.errors import ManifestError
from livesnap_reconcile.manifest.expand import expand
from livesnap_reconcile.resources import ProviderConfig
from tests.manifest.expand_support import NOW, manifest


def _templates(data):
    return {r.address: r for r in expand(data, now=NOW).resources if r.kind == "template"}


def test_providers_become_configs_with_tencent_region_default():
    data = manifest()
    data["providers"]["css-gz"] = {"vendor": "tencent", "max_rps": 5}
    data["providers"]["ice-sh"]["endpoint"] = "http://127.0.0.1:9000"
    providers = expand(data, now=NOW).providers
    assert providers["css-gz"] == ProviderConfig(name="css-gz", vendor="tencent", region="ap-guangzhou", max_rps=5.0)
    assert providers["ice-sh"].endpoint == "http://127.0.0.1:9000"
    assert providers["ice-sh"].region == "cn-shanghai"


def test_alibaba_template_fills_absent_formats_with_none():
    tpl = _templates(manifest())["template.every-10s"]
    assert tpl.kind == "template" and tpl.provider == "ice-sh"
    assert tpl.attributes == {
        "name": "newsroom-every-10s",
        "interval": 10,
        "overwrite_format": None,
        "sequence_format": "s/{JobId}/{Sequence}.jpg",
    }


def test_tencent_template_fills_every_vendor_default():
    tpl = _templates(manifest())["template.thumbs"]
    assert tpl.attributes == {
        "name": "newsroom-thumbs",
        "interval": 10,
        "width": 0,
        "height": 0,
        "porn_flag": 0,
        "cos_app_id": 1250000000,
        "cos_bucket": "thumbs",
        "cos_region": "ap-guangzhou",
        "cos_prefix": "/{Year}-{Month}-{Day}",
        "cos_file_name": "{StreamID}-screenshot-{Hour}-{Minute}-{Second}-{Width}x{Height}{Ext}",
        "description": "",
    }


def test_tencent_template_keeps_given_values():
    templates = {
        "thumbs-640": {
            "provider": "css-gz",
            "interval": 30,
            "width": 640,
            "height": 360,
            "porn_flag": 1,
            "description": "lobby",
            "protect": True,
            "cos": {"app_id": "1250000000", "bucket": "b", "region": "ap-shanghai", "prefix": "/live", "file_name": "x{Ext}"},
        }
    }
    tpl = _templates(manifest(templates=templates))["template.thumbs-640"]
    assert tpl.protect is True
    assert tpl.attributes["cos_app_id"] == 1250000000  # an int, as the vendor returns it
    assert (tpl.attributes["width"], tpl.attributes["height"], tpl.attributes["porn_flag"]) == (640, 360, 1)
    assert (tpl.attributes["cos_region"], tpl.attributes["cos_prefix"]) == ("ap-shanghai", "/live")
    assert tpl.attributes["cos_file_name"] == "x{Ext}"
    assert tpl.attributes["description"] == "lobby"


def test_template_on_unknown_provider_is_a_manifest_error_naming_the_path():
    data = manifest()
    data["templates"]["every-10s"]["provider"] = "nope"
    with pytest.raises(ManifestError, match=r"templates\.every-10s"):
        expand(data, now=NOW)


def test_namespace_is_carried():
    assert expand(manifest(), now=NOW).namespace == "newsroom"
