"""ListLiveSnapshotFiles through the Alibaba provider and the sandbox: which snapshots a job wrote.

What we test here: a started job produces one file per template interval on the emulator's clock,
none while it is paused; the provider walks a range longer than the one-day limit a minute short
of it, follows NextStartTime across pages, and keeps each file once; the emulator answers bad
ranges with the documented codes.
"""

from __future__ import annotations

import calendar
import time

import pytest

from livesnap_reconcile.errors import Invalid, NotFound
from livesnap_reconcile.providers.alibaba.client import IceClient
from tests.providers.conftest import T0
from tests.providers.test_emulator_operations import ICE_TEMPLATE, job_attrs

HOUR, DAY = 3600, 86400


def _epoch(stamp: str) -> int:
    return calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))


def _job(sandbox, template=ICE_TEMPLATE):
    ice = sandbox.provider("alibaba")
    template_id = ice.create("template", template).remote_id
    start = sandbox.clock.now()
    return ice, ice.create("job", job_attrs(template_id)).remote_id, start


def test_a_started_job_writes_one_file_per_interval(local_sandbox):
    ice, job_id, started = _job(local_sandbox)
    local_sandbox.clock.advance(HOUR)
    files = ice.snapshot_files(job_id, start=T0 - HOUR, end=T0 + 2 * HOUR)
    stamps = [f.timestamp_ms for f in files]
    assert len(files) == HOUR // 10 + 1
    assert all(b - a == 10_000 for a, b in zip(stamps, stamps[1:], strict=False))
    assert files[0].timestamp_ms == int(started * 1000)
    assert files[0].object == f"snapshot/{job_id}/{files[0].timestamp_ms}.jpg"
    assert files[0].bucket == "media" and files[0].endpoint == "oss-cn-shanghai.aliyuncs.com"
    assert not files[0].overlay
    assert ice.requests["ListLiveSnapshotFiles"] >= 4  # 361 files, 100 a page: NextStartTime was followed


def test_no_files_while_the_job_is_paused(local_sandbox):
    ice, job_id, _ = _job(local_sandbox)
    local_sandbox.clock.advance(65)
    ice.stop(job_id)
    paused_at = local_sandbox.clock.now()
    local_sandbox.clock.advance(HOUR)
    resuming = local_sandbox.clock.now()
    ice.start(job_id)
    local_sandbox.clock.advance(65)
    files = ice.snapshot_files(job_id, start=T0, end=T0 + 2 * HOUR)
    before = [f for f in files if f.created < paused_at]
    after = [f for f in files if f.created >= int(resuming)]
    assert len(before) == 7  # 65 s at a 10 s interval, from the submit on
    assert len(after) >= 6 and all(b.timestamp_ms - a.timestamp_ms == 10_000 for a, b in zip(after, after[1:], strict=False))
    assert len(files) == len(before) + len(after)  # nothing while paused


def test_no_files_while_the_stream_is_offline(local_sandbox):
    ice, job_id, _ = _job(local_sandbox)
    local_sandbox.clock.advance(65)
    offline_at = local_sandbox.clock.now()
    local_sandbox.emu.set_stream_offline(job_attrs("x")["rtmp_url"])
    local_sandbox.clock.advance(HOUR)
    files = ice.snapshot_files(job_id, start=T0, end=T0 + 2 * HOUR)
    assert len(files) == 7  # 65 s at a 10 s interval, then the job fell back to init: no more
    assert all(f.created < offline_at for f in files)


def test_an_overwrite_only_template_lists_overlay_files(local_sandbox):
    overwrite = {**ICE_TEMPLATE, "name": "ns-overwrite", "overwrite_format": "snapshot/{JobId}.jpg",
                 "sequence_format": None}
    ice, job_id, _ = _job(local_sandbox, overwrite)
    local_sandbox.clock.advance(30)
    files = ice.snapshot_files(job_id, start=T0, end=T0 + HOUR)
    assert len(files) == 4 and {f.object for f in files} == {f"snapshot/{job_id}.jpg"}
    assert all(f.overlay for f in files)


def test_a_long_range_is_asked_a_day_at_a_time_with_a_margin(local_sandbox, monkeypatch):
    ice, job_id, started = _job(local_sandbox)
    local_sandbox.clock.advance(2 * DAY)
    spans: list[tuple[str, str]] = []
    original = IceClient.build

    def build(self, action, params):
        if action == "ListLiveSnapshotFiles":
            spans.append((params["StartTime"], params["EndTime"]))
        return original(self, action, params)

    monkeypatch.setattr(IceClient, "build", build)
    end = T0 + 2 * DAY
    files = ice.snapshot_files(job_id, start=T0, end=end)
    assert spans and all(0 < _epoch(b) - _epoch(a) <= DAY - 60 for a, b in spans)
    stamps = [f.timestamp_ms for f in files]
    expected = int((end - started) // 10) + 1 if (end - started) % 10 else int((end - started) // 10)
    assert len(stamps) == len(set(stamps)) == expected  # none lost or doubled at the day boundaries


def test_the_emulator_refuses_bad_ranges_with_the_documented_codes(local_sandbox):
    ice, job_id, _ = _job(local_sandbox)
    with pytest.raises(Invalid) as too_long:
        ice.client.rpc("ListLiveSnapshotFiles", {"JobId": job_id, "StartTime": "2026-01-01T00:00:00Z",
                                                 "EndTime": "2026-01-02T00:00:01Z"})
    assert too_long.value.code == "InvalidParameter"
    with pytest.raises(Invalid) as reversed_range:
        ice.client.rpc("ListLiveSnapshotFiles", {"JobId": job_id, "StartTime": "2026-01-01T01:00:00Z",
                                                 "EndTime": "2026-01-01T00:00:00Z"})
    assert reversed_range.value.code == "EndTimeMismatch"
    with pytest.raises(Invalid) as malformed:
        ice.client.rpc("ListLiveSnapshotFiles", {"JobId": job_id, "StartTime": "yesterday",
                                                 "EndTime": "2026-01-01T00:00:00Z"})
    assert malformed.value.code == "MalformedStartTime"
    with pytest.raises(NotFound):
        ice.snapshot_files("0" * 32, start=T0, end=T0 + HOUR)
