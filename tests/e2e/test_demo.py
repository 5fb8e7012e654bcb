"""`make demo` as a newcomer runs it: the examples applied to the sandbox in real processes, then a
plan that shows no changes (exit 0 with --detailed-exitcode)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from tests.e2e import procs

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "manifests"


def test_examples_apply_to_the_sandbox_and_then_plan_shows_no_changes(tmp_path):
    work = tmp_path / "manifests"
    shutil.copytree(EXAMPLES, work, ignore=shutil.ignore_patterns(".livesnap"))  # not a previous demo's sandbox
    env = procs.cli_env(tmp_path)

    def livesnap(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*procs.livesnap_argv(), *args], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=120, stdin=subprocess.DEVNULL)

    # Freeze the sandbox clock so no occurrence boundary can fall between the two commands.
    frozen = livesnap("sandbox", "clock", "--create", "--data", str(work / ".livesnap" / "sandbox"), "--set",
                      datetime.now(UTC).replace(microsecond=0).isoformat())
    assert frozen.returncode == 0, frozen.stderr
    applied = livesnap("apply", "--sandbox", "--auto-approve", str(work))
    assert applied.returncode == 0, applied.stdout[-2000:] + applied.stderr[-2000:]
    assert "Apply complete!" in applied.stdout and " 0 failed" in applied.stdout

    planned = livesnap("plan", "--sandbox", "--detailed-exitcode", str(work))
    assert planned.returncode == 0, planned.stdout[-3000:] + planned.stderr[-1000:]
    assert "No changes. Remote snapshot jobs match the manifest." in planned.stdout
    assert (work / ".livesnap" / "sandbox" / "state.json").exists()
    assert not (work / ".livesnap" / "state.json").exists()  # the sandbox never touches the real state
