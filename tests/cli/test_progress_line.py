"""The progress line: drawn on a terminal in place, at most ten times a second, cleared at the end.

What we test here: with a fake terminal and an injected clock the line shows phase, done/total,
rate and ETA; redraws are throttled; notes stay above it; the end erases it; piped (not a
terminal) nothing is written unless --progress asks; `--no-progress` wins over a terminal; and a
command's stdout (JSON) stays clean while the line goes to stderr.
"""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

from livesnap_reconcile.cli.progress import ERASE, TtyProgress, tty_progress
from livesnap_reconcile.core.progress import NullProgress
from livesnap_reconcile.ops.options import GlobalOptions
from tests.workspace import SandboxWorkspace


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def options(progress: bool | None = None) -> GlobalOptions:
    return GlobalOptions(state=None, sandbox=False, lock_timeout=1.0, color=False, verbose=False, progress=progress)


def screen(text: str) -> str:
    """What the terminal shows last on the current line."""
    return text.split("\n")[-1].rsplit("\r", 1)[-1].removeprefix("\x1b[K")


def test_the_line_shows_phase_done_rate_and_eta():
    term, clock = FakeTerminal(), Clock()
    progress = TtyProgress(term, clock=clock, tick=None)
    progress.phase("refresh", total=10_000, unit="objects")
    assert screen(term.getvalue()) == "refresh: 0/10,000 objects, 0s"
    clock.now += 2.0
    progress.advance(2_000)
    assert screen(term.getvalue()) == "refresh: 2,000/10,000 objects, 1,000/s, ETA 8s"


def test_redraws_at_most_ten_times_a_second_and_the_end_erases_the_line():
    term, clock = FakeTerminal(), Clock()
    progress = TtyProgress(term, clock=clock, tick=None)
    progress.phase("apply", total=1000, unit="changes")
    for _ in range(100):  # 100 changes in 0.5 s
        clock.now += 0.005
        progress.advance()
    assert 1 + 4 <= term.getvalue().count("\r") <= 1 + 5  # the first draw, then one per 0.1 s at most
    progress.finish()
    assert term.getvalue().endswith(ERASE) and screen(term.getvalue()) == ""


def test_notes_stay_above_the_line():
    term, clock = FakeTerminal(), Clock()
    progress = TtyProgress(term, clock=clock, tick=None)
    progress.phase("refresh", unit="objects")
    progress.note("Refreshed provider css: 3 object(s)")
    assert term.getvalue().split("\n")[0].endswith("Refreshed provider css: 3 object(s)")
    assert screen(term.getvalue()) == "refresh: 0 objects, 0s"  # drawn again below the note


def test_piped_nothing_unless_asked_and_no_progress_wins_over_a_terminal():
    piped = io.StringIO()
    assert isinstance(tty_progress(options(), piped), NullProgress)
    assert isinstance(tty_progress(options(progress=False), FakeTerminal()), NullProgress)
    assert isinstance(tty_progress(options(), FakeTerminal()), TtyProgress)
    assert isinstance(tty_progress(options(progress=True), piped), TtyProgress)


MANIFEST = """\
version: 1
namespace: prog
providers:
  css: {vendor: tencent}
templates:
  t: {provider: css, cos: {app_id: 1250000000, bucket: b1, region: ap-guangzhou}}
streams:
  hall:
    provider: css
    domain: 5000.live.push.com
    app: live
    stream: hall
    snapshots:
      w: {template: t, window: {start: "2026-11-27T10:00:00Z", end: "2026-11-27T11:00:00Z"}}
"""


def test_apply_and_plan_show_their_phases_on_stderr_and_keep_stdout_json(tmp_path: Path):
    ws = SandboxWorkspace(tmp_path, MANIFEST, now=1_795_564_800)  # 2026-11-26
    applied = ws.invoke("--progress", "apply", "--auto-approve", "--format", "json", str(ws.root))
    assert applied.exit_code == 0, applied.output + applied.stderr
    assert [json.loads(line)["type"] for line in applied.stdout.splitlines()] == ["change", "change", "summary"]
    for phase in ("load + validate:", "expand:", "refresh:", "apply: 0/2 changes"):
        assert ERASE + phase in applied.stderr
    assert applied.stderr.endswith(ERASE)  # cleared at the end
    planned = ws.invoke("--progress", "plan", "--format", "json", str(ws.root))
    assert planned.exit_code == 0 and json.loads(planned.stdout)
    assert ERASE + "refresh: 0/2 objects" in planned.stderr  # the ETA's estimate: what state knows
    piped = ws.invoke("plan", "--format", "json", str(ws.root))
    assert piped.exit_code == 0 and "\r" not in piped.stderr


def test_a_phase_without_counts_still_shows_its_time_going_by():
    term = FakeTerminal()
    progress = TtyProgress(term, tick=0.01)  # the real clock: the ticker redraws on its own
    progress.phase("load + validate")
    deadline = time.monotonic() + 5
    while term.getvalue().count("\r") < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    progress.finish()
    assert term.getvalue().count("\r") >= 2  # drawn at the start and again by the ticker
    drawn = term.getvalue()
    time.sleep(0.05)
    assert term.getvalue() == drawn and drawn.endswith(ERASE)  # nothing after the end


def test_output_of_its_own_goes_above_the_line_which_comes_back_at_the_next_count():
    term, clock = FakeTerminal(), Clock()
    progress = TtyProgress(term, clock=clock, tick=None)
    progress.phase("apply", total=2, unit="changes")
    progress.above(lambda: term.write("+ task.a: created [1/2]\n"))
    assert term.getvalue().endswith(ERASE + "+ task.a: created [1/2]\n")
    clock.now += 1.0
    progress.advance()
    assert screen(term.getvalue()) == "apply: 1/2 changes, 1.0/s, ETA 1s"
