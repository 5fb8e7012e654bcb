"""A plan does not keep the manifest's plain data alive once it is expanded (~80 MB at 100k
objects, through the state read, the refresh and the plan); the digest and warnings stay."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml

from bench import synth
from livesnap_reconcile.cli.main import GlobalOptions
from livesnap_reconcile.emulator import Clock, Emulator, Faults
from livesnap_reconcile.manifest.load import load_manifest
from livesnap_reconcile.ops import workflow
from livesnap_reconcile.ops.session import Session


def test_the_planned_manifest_carries_its_digest_but_not_its_data():
    emu = Emulator(data_dir=None, clock=Clock(now=synth.NOW), faults=Faults(default_limits=False))
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        (home / "fleet.yaml").write_text(yaml.safe_dump(synth.manifest(10), sort_keys=False), encoding="utf-8")
        opts = GlobalOptions(state=home / "state.json", sandbox=True, lock_timeout=30.0, color=False, verbose=False)
        session = Session(opts, [home], home / "state.json", None, lambda: synth.NOW, emu)
        try:
            with workflow.state_lock(session, "plan") as backend:
                planned = workflow.compute_plan(session, backend)
        finally:
            session.close()
        assert planned.loaded.data == {}
        assert planned.loaded.digest == load_manifest([home]).digest == planned.plan.manifest_digest
        assert planned.desired.resources and planned.plan.changes
