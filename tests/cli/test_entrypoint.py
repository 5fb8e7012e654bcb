"""The `livesnap` entry point: version, help, and usage errors mapped to exit 1 (2 means changes)."""

import subprocess
import sys

from click.testing import CliRunner

from livesnap_reconcile import __version__
from livesnap_reconcile.cli.main import cli


def test_version_prints_package_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_unknown_option_is_an_error_not_a_change():
    result = CliRunner().invoke(cli, ["--no-such-flag"])
    assert result.exit_code == 1
    assert "No such option" in result.output


def test_help_does_not_import_heavy_modules():
    code = (
        "import sys; from livesnap_reconcile.cli.main import cli\n"
        "try:\n    cli.main(['--help'], standalone_mode=False)\nexcept SystemExit: pass\n"
        "heavy = [m for m in ('httpx', 'deepdiff', 'jsonschema', 'yaml') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "HEAVY="
