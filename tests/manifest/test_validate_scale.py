"""Validation at fleet scale: work that depends only on a stream's timings is done once per timing.

What we test here: streams repeating the same snapshot timings run Tencent's year-long overlap
sampling once, yet every clashing stream is still reported at its own line, and a stream whose
timings differ is checked on its own.
"""

from __future__ import annotations

import pytest

from livesnap_reconcile.errors import ManifestError
from livesnap_reconcile.manifest.validate import load_and_validate
from livesnap_reconcile.vendors.tencent import manifest as tencent_manifest

HEAD = """version: 1
namespace: demo
providers:
  css: {vendor: tencent}
templates:
  ten: {provider: css, cos: {app_id: 1250000000, bucket: b1, region: ap-guangzhou}}
streams:
"""
SNAPS = ("s1: {template: ten, schedule: {days: [mon], start: '10:00', duration: %s, timezone: Asia/Shanghai}}",
         "s2: {template: ten, schedule: {days: [mon], start: '10:30', duration: 2h, timezone: Asia/Shanghai}}",
         "s3: {template: ten, schedule: {days: [mon, tue], start: '02:00', duration: 2h}}",
         "w1: {template: ten, window: {start: '2026-11-30T03:30:00Z', end: '2026-11-30T03:45:00Z'}}")


def _stream(name: str, duration: str) -> str:
    snaps = "".join(f"      {line % duration if '%s' in line else line}\n" for line in SNAPS)
    return (f"  {name}:\n    provider: css\n    domain: 5000.live.push.com\n    app: live\n"
            f"    stream: {name}\n    snapshots:\n{snaps}")


def test_repeated_timings_are_sampled_once_and_each_clash_reported(tmp_path, monkeypatch):
    calls = []
    real = tencent_manifest.tencent_spans
    monkeypatch.setattr(tencent_manifest, "tencent_spans", lambda snaps: calls.append(1) or real(snaps))
    monkeypatch.setattr(tencent_manifest, "_CLASHES", {})
    # 40 streams with the clash of the corpus, and one whose first schedule ends before the others start.
    body = "".join(_stream(f"hall{i}", "2h") for i in range(40)) + _stream("quiet", "20m")
    path = tmp_path / "fleet.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    with pytest.raises(ManifestError) as refused:
        load_and_validate([path])
    found = [d for d in refused.value.diagnostics if "overlap on this Tencent stream" in d.message]
    assert sorted(d.path for d in found) == sorted(f"streams.hall{i}.snapshots.w1" for i in range(40))
    assert len({d.line for d in found}) == 40
    assert all("(s1, s2, s3, w1)" in d.message for d in found)
    assert len(calls) == 2  # one timing shared by 40 streams, and the quiet one


def test_marks_are_made_only_when_a_problem_needs_them(tmp_path, monkeypatch):
    from livesnap_reconcile.manifest import load
    from livesnap_reconcile.manifest.yamlfile import parse_file

    parses = []
    real = load.parse_bytes
    monkeypatch.setattr(load, "parse_bytes", lambda raw, display: parses.append(display) or real(raw, display))
    path = tmp_path / "fleet.yaml"
    path.write_text(HEAD + _stream("quiet", "20m"), encoding="utf-8")
    loaded = load.load_manifest([path])
    assert parses == []  # a valid configuration: no marks were recorded
    assert loaded.mark(("streams", "quiet", "snapshots", "s2")) == (str(path), 15, 11)
    assert dict(loaded.marks) == parse_file(path, str(path)).marks and parses == [str(path)]
    loaded.key_mark(("streams", "quiet"))
    assert parses == [str(path)]  # made once


def test_expansion_cuts_each_distinct_timing_into_parts_once(monkeypatch):
    from bench import synth
    from livesnap_reconcile.manifest.expand import expand
    from livesnap_reconcile.vendors.tencent import expand as tencent_expand

    cut = []
    real = tencent_expand._timing_parts
    monkeypatch.setattr(tencent_expand, "_timing_parts", lambda snap, **kw: cut.append(1) or real(snap, **kw))
    monkeypatch.setattr(tencent_expand, "_TIMINGS", {})
    data = synth.manifest(3000)
    desired = expand(data, now=synth.NOW)
    timings = {repr(snap.get("schedule")) for stream in data["streams"].values() if stream["provider"] == synth.CSS
               for snap in stream["snapshots"].values()}
    assert len(cut) == len(timings) < sum(1 for r in desired.resources if r.kind == "task")
    later = expand(data, now=synth.NOW + 6 * 3600)  # parts remembered for NOW must not leak into another now
    monkeypatch.setattr(tencent_expand, "_TIMINGS", {})
    assert later == expand(data, now=synth.NOW + 6 * 3600) != desired


def test_expansion_works_out_each_distinct_job_timing_once(monkeypatch):
    from bench import synth
    from livesnap_reconcile.manifest.expand import expand
    from livesnap_reconcile.vendors.alibaba import expand as alibaba_expand

    worked = []
    real = alibaba_expand._timed_status
    monkeypatch.setattr(alibaba_expand, "_timed_status", lambda *a, **kw: worked.append(1) or real(*a, **kw))
    monkeypatch.setattr(alibaba_expand, "_STATUS", {})
    data = synth.manifest(3000)
    expand(data, now=synth.NOW)
    timed = [snap for stream in data["streams"].values() if stream["provider"] == synth.ICE
             for snap in stream["snapshots"].values() if snap.get("schedule") or snap.get("window")]
    timings = {repr((snap.get("window"), snap.get("schedule"))) for snap in timed}
    assert len(worked) == len(timings) < len(timed)
    later = expand(data, now=synth.NOW + 6 * 3600)  # statuses remembered for NOW must not leak into another now
    monkeypatch.setattr(alibaba_expand, "_STATUS", {})
    assert later == expand(data, now=synth.NOW + 6 * 3600)


def test_a_bad_job_timing_is_never_remembered(monkeypatch):
    from livesnap_reconcile.errors import ManifestError
    from livesnap_reconcile.vendors.alibaba import expand as alibaba_expand

    monkeypatch.setattr(alibaba_expand, "_STATUS", {})
    bad = {"template": "t", "window": {"start": "soon", "end": "2026-11-25T09:00:00Z"}}
    for path in ("streams.a.snapshots.s", "streams.b.snapshots.s"):  # each reported at its own path
        with pytest.raises(ManifestError, match=f"^{path}.window: ".replace(".", r"\.")):
            alibaba_expand._desired_status(bad, now=0, path=path)
    assert alibaba_expand._STATUS == {}


def test_each_distinct_clean_timing_is_checked_once_and_problems_at_every_path(monkeypatch):
    from datetime import UTC, datetime

    from bench import synth
    from livesnap_reconcile.core import timespec
    from livesnap_reconcile.manifest import semantic

    checked = []
    real = timespec.check_schedule
    monkeypatch.setattr(timespec, "check_schedule", lambda *a, **kw: checked.append(1) or real(*a, **kw))
    monkeypatch.setattr(semantic, "_CLEAN_TIMINGS", set())
    data = synth.manifest(3000)  # large enough for timings to repeat
    now = datetime.fromtimestamp(synth.NOW, UTC)
    assert [p for p in semantic.check(data, now=now) if p[2] == "error"] == []
    snaps = [snap for stream in data["streams"].values() for snap in stream["snapshots"].values()]
    timed = [snap for snap in snaps if "window" in snap or "schedule" in snap]
    timings = {repr((snap.get("window"), snap.get("schedule"))) for snap in timed}
    assert len(checked) == len(timings) < len(timed)  # always-on snapshots need no timing check
    bad = {"start": "not-a-time", "end": "2026-11-25T10:00:00Z"}
    for snap in snaps[:2]:
        snap.pop("schedule", None)
        snap["window"] = bad
    found = [p[0] for p in semantic.check(data, now=now) if p[1].startswith("window start")]
    assert len(found) == 2 and found[0] != found[1]  # a timing with a problem is reported wherever it is
