"""Commit-then-drop with real processes: the served sandbox commits 20% of writes and then cuts the
connection. Apply must never create an object twice and must converge within three runs.
"""

from __future__ import annotations

import pytest

from tests.e2e import procs


@pytest.mark.parametrize("seed", [11])
def test_apply_converges_without_duplicates_when_answers_to_committed_writes_are_lost(tmp_path, seed):
    server = procs.SandboxProcess(tmp_path, data=tmp_path / "srv", seed=seed, latency_ms=20, drop_rate=0.2)
    try:
        manifest = procs.write_manifest(tmp_path / "livesnap.yaml", server.url)
        state = tmp_path / "state.json"
        desired = procs.desired_addresses(manifest)
        runs = []
        for _ in range(3):
            result = procs.apply(tmp_path, manifest, state, "--parallelism", "4")
            runs.append(result)
            assert "Traceback" not in result.err
            assert procs.duplicates(procs.remote_inventory(server.emulator())) == []
            if procs.plan_exit(tmp_path, manifest, state).code == 0:
                break
        else:
            pytest.fail("no convergence in 3 applies:\n" + "\n---\n".join(r.out[-1500:] + r.err for r in runs))
        procs.check_converged(server.emulator(), state, desired)
        # The fault must actually have hit creates, or this test proves nothing.
        assert any("lost response" in r.out or r.code != 0 for r in runs)
    finally:
        server.stop()
