"""A manifest directory with its embedded sandbox, for tests that drive the CLI in-process.

One place for what the GitOps and the end-to-end suites both need: the manifest written to
``ROOT/live.yaml``, the sandbox data under ``ROOT/.livesnap/sandbox`` with its business clock
frozen at the test's instant, manifest edits that must find their text, the CLI invoked with
``--sandbox`` (`run` checks it ended without a traceback and with the expected exit code), and the
state document read back. Each suite adds its own short-hands.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from livesnap_reconcile.cli.main import cli
from livesnap_reconcile.emulator import Emulator


class SandboxWorkspace:
    def __init__(self, root: Path, manifest: str, *, now: int) -> None:
        self.root = root
        self.manifest = root / "live.yaml"
        self.manifest.write_text(manifest)
        self.data = root / ".livesnap" / "sandbox"
        self.data.mkdir(parents=True, exist_ok=True)
        self.state_path = self.data / "state.json"
        self.emulator = self.new_emulator()
        self.emulator.clock.set(now)

    def new_emulator(self) -> Emulator:
        """An emulator over the sandbox directory, seeing whatever the CLI last wrote there."""
        return Emulator(data_dir=self.data)

    def invoke(self, *args: str, input: str | None = None, catch_exceptions: bool = True) -> Result:
        """`livesnap --sandbox ARGS` in-process; the manifest directory is passed by the caller."""
        return CliRunner().invoke(cli, ["--sandbox", *args], input=input, catch_exceptions=catch_exceptions)

    def run(self, *args: str, code: int | None = 0) -> Result:
        """`livesnap --sandbox ARGS ROOT`; it exits with ``code`` (unless None), never with a traceback."""
        result = self.invoke(*args, str(self.root))
        assert "Traceback" not in result.output + result.stderr
        if code is not None:
            assert result.exit_code == code, result.output + result.stderr
        return result

    def edit(self, old: str, new: str) -> None:
        text = self.manifest.read_text()
        assert old in text, old
        self.manifest.write_text(text.replace(old, new))

    def state_document(self) -> dict[str, Any]:
        return json.loads(self.state_path.read_text())
