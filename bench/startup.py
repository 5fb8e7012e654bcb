"""Start-up: the median of N process runs of each command, next to `python -c pass` in the same run.

Commands: `livesnap --version`, `livesnap validate examples/manifests/` (next to
`python -c "import yaml"`, the floor for anything that reads YAML), and
`livesnap plan --sandbox` on a copy of the examples in a temporary directory after one
`apply --sandbox` (so the plan has a state and a sandbox store to refresh against). The runs of
the commands are interleaved round by round, so a burst of load elsewhere on the machine hits
all of them alike. Also `python -X importtime` of `--version` and `validate`: the top offenders.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.targets import PYTHON, PYTHON_YAML, VALIDATE, VERSION

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "manifests"
LIVESNAP = [sys.executable, "-m", "livesnap_reconcile"]


def _livesnap_cmd() -> list[str]:
    """The console script when installed beside this interpreter (what users run), else -m."""
    script = Path(sys.executable).with_name("livesnap")
    return [str(script)] if script.exists() else LIVESNAP


def bytecode_env(cache: Path) -> dict[str, str]:
    """The environment with bytecode caching on (as users have it), cached outside the tree.

    Some CI and sandbox environments set PYTHONDONTWRITEBYTECODE=1, which makes every start
    compile the package from source; that is not what a user's `livesnap` pays.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def _time_once(cmd: list[str], *, cwd: Path, env: dict[str, str], ok: tuple[int, ...] = (0,)) -> float:
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode not in ok:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.strip()[-500:]}")
    return elapsed


def import_offenders(args: list[str], *, cwd: Path, env: dict[str, str], top: int = 8) -> list[dict[str, Any]]:
    """The modules with the largest cumulative import time (µs) under `python -X importtime`."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "livesnap_reconcile", *args], cwd=cwd, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            rows.append({"module": m.group(4), "self_us": int(m.group(1)), "cumulative_us": int(m.group(2)),
                         "depth": len(m.group(3)) // 2})
    top_level = [r for r in rows if r["depth"] == 0]
    return sorted(top_level, key=lambda r: -r["cumulative_us"])[:top]


def run(runs: int = 10) -> dict[str, Any]:
    livesnap = _livesnap_cmd()
    with tempfile.TemporaryDirectory(prefix="livesnap-startup-") as tmp:
        env = bytecode_env(Path(tmp) / "pycache")
        copy = Path(tmp) / "manifests"
        shutil.copytree(EXAMPLES, copy)
        subprocess.run([*livesnap, "apply", "--sandbox", "--auto-approve", str(copy)], cwd=tmp, check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        commands = {
            PYTHON: ([sys.executable, "-c", "pass"], (0,)),
            PYTHON_YAML: ([sys.executable, "-c", "import yaml"], (0,)),  # what validate is measured against
            VERSION: ([*livesnap, "--version"], (0,)),
            VALIDATE: ([*livesnap, "validate", str(EXAMPLES)], (0,)),
            "livesnap plan --sandbox (examples, after apply)": ([*livesnap, "plan", "--sandbox", str(copy)], (0, 2)),
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for cmd, ok in commands.values():
            _time_once(cmd, cwd=Path(tmp), env=env, ok=ok)  # warm the page and bytecode caches once
        for _ in range(runs):
            for name, (cmd, ok) in commands.items():
                times[name].append(_time_once(cmd, cwd=Path(tmp), env=env, ok=ok))
        offenders = {"importtime_version": import_offenders(["--version"], cwd=ROOT, env=env),
                     "importtime_validate": import_offenders(["validate", str(EXAMPLES)], cwd=ROOT, env=env),
                     "importtime_plan_sandbox": import_offenders(["plan", "--sandbox", str(copy)], cwd=Path(tmp),
                                                                 env=env)}
    base = statistics.median(times[PYTHON])
    rows = {name: {"median_ms": round(statistics.median(t) * 1000, 1), "min_ms": round(min(t) * 1000, 1),
                   "ratio_to_python": round(statistics.median(t) / base, 2), "runs": len(t)}
            for name, t in times.items()}
    return {"runs": runs, "commands": rows, **offenders}


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
