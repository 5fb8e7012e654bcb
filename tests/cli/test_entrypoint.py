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


# What `livesnap --version` must not load: click (the fast path answers before it), and the
# libraries only commands need.
VERSION_MUST_NOT_IMPORT = ("click", "httpx", "yaml", "jsonschema", "deepdiff", "psycopg",
                           "livesnap_reconcile.providers", "livesnap_reconcile.cli.main")


def _modules_after(argv: list[str]) -> tuple[str, set[str]]:
    """(stdout, modules loaded) of the console script's entry point run with ``argv`` in a fresh process."""
    code = (
        "import sys, io\n"
        f"sys.argv = ['livesnap', *{argv!r}]\n"
        "real, sys.stdout = sys.stdout, io.StringIO()\n"
        "from livesnap_reconcile.cli.entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "out, sys.stdout = sys.stdout.getvalue(), real\n"
        "print(repr(out)); print(','.join(sorted(sys.modules)))\n"
    )
    lines = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    printed, modules = lines.strip().splitlines()[-2:]
    return eval(printed), set(modules.split(","))  # noqa: S307 - our own repr()


def test_version_imports_no_heavy_module():
    out, modules = _modules_after(["--version"])
    assert out == f"livesnap, version {__version__}\n"
    loaded = sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in VERSION_MUST_NOT_IMPORT))
    assert loaded == []


def test_version_fast_path_prints_exactly_what_click_prints():
    from livesnap_reconcile.cli.entry import VERSION_LINE

    assert CliRunner().invoke(cli, ["--version"]).output == VERSION_LINE + "\n"


def test_other_arguments_go_through_click():
    out, modules = _modules_after(["--version", "--no-color"])
    assert "click" in modules and __version__ in out
