"""Keys written into a provider endpoint (``https://AKID:secret@host``) are refused and never echoed.

What we test here: validate refuses the manifest naming the line, without printing the secret;
and a provider is never built on such an endpoint (another way in, e.g. a state file), again
without the secret in the error.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from livesnap_reconcile.cli.main import cli
from livesnap_reconcile.errors import Invalid
from livesnap_reconcile.providers import make_provider
from livesnap_reconcile.resources import ProviderConfig

CASE = Path(__file__).parent / "invalid" / "provider-endpoint-credentials.yaml"


def test_validate_refuses_the_endpoint_without_echoing_the_secret():
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(CASE)])
    assert result.exit_code == 1
    assert "s3cr3t" not in result.output + result.stderr and "AKIDexample" not in result.output + result.stderr
    assert "user:password@" in result.output


@pytest.mark.parametrize("vendor", ["alibaba", "tencent"])
def test_no_provider_is_built_on_an_endpoint_with_credentials(vendor: str):
    config = ProviderConfig("p", vendor, "ap-guangzhou", endpoint="https://AKIDexample:s3cr3t@example.com")
    with pytest.raises(Invalid) as caught:
        make_provider(config, credentials=("id", "key"))
    assert "user:password@" in str(caught.value) and "s3cr3t" not in str(caught.value)
