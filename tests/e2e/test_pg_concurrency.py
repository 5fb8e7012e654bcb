"""One PostgreSQL state, several real `livesnap apply` processes against `livesnap sandbox serve`.

What we test here: four applies of the same manifest started at once → exactly one applies, the
others wait for the lock and then find nothing to do (or, with a short --lock-timeout, fail
naming the holder); no duplicate remote object; the history holds every serial once, strictly
increasing, each holding at least what the one before held. An apply SIGKILLed at a random point
leaves a state that the next apply (which gets the lock without force-unlock) completes without
duplicates.
"""

from __future__ import annotations

import random
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from livesnap_reconcile.state.select import open_backend
from tests.e2e import procs


@pytest.fixture
def sandbox(tmp_path):
    server = procs.SandboxProcess(tmp_path, data=tmp_path / "srv", seed=13, latency_ms=40)
    try:
        yield server
    finally:
        server.stop()


def _versions(url: str) -> list[tuple[int, int]]:
    """(serial, resources) of every version kept, oldest first."""
    backend = open_backend(url)
    try:
        return sorted((v.serial, v.resources) for v in backend.history())
    finally:
        backend.close()  # type: ignore[attr-defined]


def test_four_applies_at_once_exactly_one_applies_and_nothing_is_duplicated(tmp_path, sandbox, pg_url):
    manifest = procs.write_manifest(tmp_path / "livesnap.yaml", sandbox.url)
    desired = procs.desired_addresses(manifest)
    argv = [*procs.livesnap_argv(), "apply", "--auto-approve", str(manifest), "--state", pg_url,
            "--lock-timeout", "120s", "--parallelism", "4"]
    runs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=procs.cli_env(tmp_path), cwd=tmp_path, stdin=subprocess.DEVNULL)
            for _ in range(4)]
    outputs = [p.communicate(timeout=180) for p in runs]
    results = [(p.returncode, out, err) for p, (out, err) in zip(runs, outputs, strict=True)]
    assert all(code == 0 for code, _, _ in results), [err[-1500:] for _, _, err in results]
    applied = [out for _, out, _ in results if "Apply complete!" in out]
    idle = [out for _, out, _ in results if "No changes" in out]
    assert len(applied) == 1 and len(idle) == 3, [out[-300:] for _, out, _ in results]
    assert f"Apply complete! {len(desired)} succeeded, 0 failed" in applied[0]
    versions = _versions(pg_url)  # group commit may write several changes at once: fewer serials than changes
    assert [s for s, _ in versions] == list(range(1, len(versions) + 1))
    counts = [n for _, n in versions]
    assert counts == sorted(counts) and counts[-1] == len(desired)  # only creates, none lost
    assert procs.read_state(pg_url)["serial"] == len(versions)
    procs.check_converged(sandbox.emulator(), pg_url, desired)


@pytest.mark.parametrize("seed", [1, 2])
def test_an_apply_sigkilled_at_a_random_point_is_completed_by_the_next_one(tmp_path, sandbox, pg_url, seed):
    manifest = procs.write_manifest(tmp_path / "livesnap.yaml", sandbox.url)
    desired = procs.desired_addresses(manifest)
    kill_after = random.Random(seed).randint(1, len(desired) - 2)
    first = procs.LiveApply(tmp_path, manifest, pg_url, "--parallelism", "3")
    try:
        first.wait_for_progress(kill_after)
    finally:
        assert first.kill() == -9
    recorded = procs.read_state(pg_url)["resources"]
    assert kill_after <= len(recorded) < len(desired)

    # No force-unlock: the lock died with the killed process's session.
    second = procs.apply(tmp_path, manifest, pg_url, "--parallelism", "3", "--lock-timeout", "10s")
    assert second.code == 0, second.out[-2000:] + second.err[-2000:]
    assert "Traceback" not in second.err
    again = procs.plan_exit(tmp_path, manifest, pg_url)
    assert again.code == 0 and "No changes" in again.out, again.out[-2000:] + again.err[-1000:]
    procs.check_converged(sandbox.emulator(), pg_url, desired)


def test_with_a_short_lock_timeout_the_others_fail_naming_the_holder(tmp_path, pg_url):
    server = procs.SandboxProcess(tmp_path, data=tmp_path / "slow", seed=17, latency_ms=150)
    try:
        manifest = procs.write_manifest(tmp_path / "livesnap.yaml", server.url)
        first = procs.LiveApply(tmp_path, manifest, pg_url, "--parallelism", "1")
        try:
            first.wait_for_progress(1)  # it holds the lock; the rest of its apply takes seconds
            # At once, so the three together take one lock timeout, well inside the first apply's run.
            with ThreadPoolExecutor(max_workers=3) as pool:
                others = list(pool.map(lambda _: procs.apply(tmp_path, manifest, pg_url, "--lock-timeout", "1s"),
                                       range(3)))
            assert first.proc.poll() is None, "the first apply must still be running, or this proves nothing"
            result = first.finish()
        finally:
            first.kill()
        assert result.code == 0 and "Apply complete!" in result.out, result.err[-1000:]
        for other in others:
            assert other.code == 1 and f"(pid {first.proc.pid}, apply" in other.err, other.err
            assert "Traceback" not in other.err and "Plan:" not in other.out
        procs.check_converged(server.emulator(), pg_url, procs.desired_addresses(manifest))
    finally:
        server.stop()
