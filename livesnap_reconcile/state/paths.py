"""Where the state file lives by default. Pure path arithmetic: nothing is created here."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

STATE_DIR = ".livesnap"
STATE_FILE = "state.json"


def manifest_home(manifest_paths: Sequence[Path]) -> Path:
    """The directory the state belongs to: the first manifest PATH if it is a directory, else the
    directory holding that file. With no paths, the current directory."""
    if not manifest_paths:
        return Path(".")
    first = Path(manifest_paths[0])
    return first if first.is_dir() else first.parent


def default_state_path(manifest_paths: Sequence[Path]) -> Path:
    """``<dir>/.livesnap/state.json`` "beside the manifests" (DESIGN.md §5).

    ``<dir>`` is the manifest directory itself when a directory was given
    (``livesnap plan examples/manifests/`` → ``examples/manifests/.livesnap/state.json``), or the
    file's directory when a file was given (``infra/live.yaml`` → ``infra/.livesnap/state.json``),
    so a directory and a file inside it share one state. With several PATHs the first one decides:
    the order on the command line is the user's choice and stays stable between runs.
    """
    return manifest_home(manifest_paths) / STATE_DIR / STATE_FILE


def sandbox_state_path(manifest_paths: Sequence[Path]) -> Path:
    """The state used with ``--sandbox``: ``<dir>/.livesnap/sandbox/state.json``, never the real one."""
    return manifest_home(manifest_paths) / STATE_DIR / "sandbox" / STATE_FILE
