"""Alibaba jobs: one per snapshot, JobName digest, desired status and next_change_at."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livesnap_reconcile.errors import ManifestError
from livesnap_reconcile.manifest.expand import expand
from livesnap_reconcile.vendors.alibaba.names import job_name
from tests.manifest.expand_support import HOUR, NOW, alibaba, manifest, ts, window


def _jobs(snapshots, *, now=NOW, **stream_extra):
    state = expand(manifest(streams={"main": alibaba(snapshots, **stream_extra)}), now=now)
    return {r.address: r for r in state.resources if r.kind == "job"}, state


def test_always_on_job_shape():
    jobs, state = _jobs({"always": {"template": "every-10s", "callback_url": "https://hooks.example.com/s"}})
    job = jobs["job.main.always"]
    assert job.provider == "ice-sh" and job.kind == "job"
    assert job.depends_on == ("template.every-10s",)
    attrs = dict(job.attributes)
    assert attrs.pop("name").startswith("ls/newsroom/main/always/")
    assert attrs == {
        "rtmp_url": "rtmp://push.example.com/live/main",
        "output": {"bucket": "media", "endpoint": "oss-cn-shanghai.aliyuncs.com"},
        "template": {"ref": "template.every-10s"},
        "callback_url": "https://hooks.example.com/s",
        "status": "started",
    }
    assert state.next_change_at is None


def test_job_name_digest_is_sha256_of_canonical_immutable_fields():
    jobs, _ = _jobs({"always": {"template": "every-10s"}})
    fields = {
        "rtmp_url": "rtmp://push.example.com/live/main",
        "output": {"endpoint": "oss-cn-shanghai.aliyuncs.com", "bucket": "media"},
        "template": "every-10s",
        "callback_url": None,
    }
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:8]
    assert jobs["job.main.always"].attributes["name"] == f"ls/newsroom/main/always/{digest}"
    assert job_name("newsroom", "main", "always", **fields) == f"ls/newsroom/main/always/{digest}"


@pytest.mark.parametrize(
    "change",
    [
        {"rtmp_url": "rtmp://push.example.com/live/other"},
        {"output": {"bucket": "media2", "endpoint": "oss-cn-shanghai.aliyuncs.com"}},
        {"template": {"id": "tpl-1"}},
        {"callback_url": "https://hooks.example.com/x"},
    ],
)
def test_digest_changes_with_each_immutable_field(change):
    base = {
        "rtmp_url": "rtmp://a/live/s",
        "output": {"bucket": "b", "endpoint": "e"},
        "template": "every-10s",
        "callback_url": None,
    }
    assert job_name("ns", "s", "x", **base) != job_name("ns", "s", "x", **{**base, **change})


def test_digest_ignores_status_and_schedule_and_id_type():
    plain, _ = _jobs({"a": {"template": "every-10s"}})
    paused, _ = _jobs({"a": {"template": "every-10s", "status": "paused", "window": window(NOW, NOW + HOUR)}})
    assert plain["job.main.a"].attributes["name"] == paused["job.main.a"].attributes["name"]
    as_int, _ = _jobs({"a": {"template": {"id": 123}}})
    as_str, _ = _jobs({"a": {"template": {"id": "123"}}})
    assert as_int["job.main.a"].attributes["name"] == as_str["job.main.a"].attributes["name"]
    assert as_int["job.main.a"].attributes["template"] == {"id": "123"}
    assert as_int["job.main.a"].depends_on == ()


def test_paused_status_wins_over_an_open_window():
    jobs, state = _jobs({"a": {"template": "every-10s", "status": "paused", "window": window(NOW - HOUR, NOW + HOUR)}})
    assert jobs["job.main.a"].attributes["status"] == "paused"
    assert state.next_change_at is None


@pytest.mark.parametrize(
    ("start", "end", "status", "change"),
    [
        (NOW - HOUR, NOW + HOUR, "started", NOW + HOUR),
        (NOW, NOW + HOUR, "started", NOW + HOUR),  # start is inclusive
        (NOW + HOUR, NOW + 2 * HOUR, "paused", NOW + HOUR),
        (NOW - HOUR, NOW, "paused", None),  # end is exclusive, and nothing changes after it
    ],
)
def test_window_drives_status(start, end, status, change):
    jobs, state = _jobs({"a": {"template": "every-10s", "window": window(start, end)}})
    assert jobs["job.main.a"].attributes["status"] == status
    assert state.next_change_at == change


def test_schedule_drives_status_in_its_timezone():
    schedule = {"days": ["wed"], "start": "09:30", "duration": "1h", "timezone": "Asia/Shanghai"}
    jobs, state = _jobs({"a": {"template": "every-10s", "schedule": schedule}})  # NOW is Wed 10:00 +08
    assert jobs["job.main.a"].attributes["status"] == "started"
    assert state.next_change_at == ts("2026-11-25T10:30:00+08:00")
    jobs, state = _jobs({"a": {"template": "every-10s", "schedule": schedule}}, now=ts("2026-11-25T10:30:00+08:00"))
    assert jobs["job.main.a"].attributes["status"] == "paused"
    assert state.next_change_at == ts("2026-12-02T09:30:00+08:00")


def test_schedule_with_a_far_from_date_still_reports_its_first_start():
    schedule = {"start": "08:00", "duration": "2h", "timezone": "UTC", "from": "2027-03-01"}
    jobs, state = _jobs({"a": {"template": "every-10s", "schedule": schedule}})
    assert jobs["job.main.a"].attributes["status"] == "paused"
    assert state.next_change_at == ts("2027-03-01T08:00:00+00:00")


def test_schedule_past_its_until_date_is_paused_for_good():
    schedule = {"start": "08:00", "duration": "2h", "until": "2026-11-01"}
    jobs, state = _jobs({"a": {"template": "every-10s", "schedule": schedule}})
    assert jobs["job.main.a"].attributes["status"] == "paused"
    assert state.next_change_at is None


def test_back_to_back_occurrences_do_not_report_a_fake_change():
    # 24 h every day: always inside; the union never ends, so the next change is not a day boundary.
    schedule = {"start": "00:00", "duration": "24h", "timezone": "UTC", "until": "2026-12-01"}
    jobs, state = _jobs({"a": {"template": "every-10s", "schedule": schedule}})
    assert jobs["job.main.a"].attributes["status"] == "started"
    assert state.next_change_at == ts("2026-12-02T00:00:00+00:00")


def test_protect_comes_from_snapshot_or_stream():
    jobs, _ = _jobs({"a": {"template": "every-10s"}, "b": {"template": "every-10s", "protect": True}})
    assert (jobs["job.main.a"].protect, jobs["job.main.b"].protect) == (False, True)
    jobs, _ = _jobs({"a": {"template": "every-10s"}}, protect=True)
    assert jobs["job.main.a"].protect is True


def test_malformed_schedule_is_a_manifest_error_with_its_path():
    with pytest.raises(ManifestError, match=r"streams\.main\.snapshots\.a\.schedule: unknown timezone"):
        _jobs({"a": {"template": "every-10s", "schedule": {"start": "08:00", "duration": "1h", "timezone": "Mars/Base"}}})


def test_unknown_status_is_refused():
    with pytest.raises(ManifestError, match=r"snapshots\.a: status must be started or paused"):
        _jobs({"a": {"template": "every-10s", "status": "stopped"}})


@pytest.mark.parametrize("template", ["main", {"id": "TPL-1"}])
@pytest.mark.parametrize("callback_url", [None, "https://hooks.example.com/é?a=1&b=2"])
def test_the_job_digest_is_sha256_of_canonical_json(template, callback_url):
    from livesnap_reconcile.core.names import manifest_template_ref
    from livesnap_reconcile.vendors.alibaba.names import job_digest

    output = {"bucket": "snaps-北京", "endpoint": "oss-cn-shanghai.aliyuncs.com"}
    fields = {"callback_url": callback_url, "output": output, "rtmp_url": "rtmp://push.example.com/live/a",
              "template": manifest_template_ref(template)}
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    expected = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:8]
    assert job_digest(rtmp_url="rtmp://push.example.com/live/a", output=output, template=template,
                      callback_url=callback_url) == expected


def test_two_desired_objects_at_one_address_are_refused():
    from livesnap_reconcile.core.expansion import StreamExpansion
    from livesnap_reconcile.manifest.expand import _check_unique
    from livesnap_reconcile.resources import Resource

    job = Resource(address="job.a.s", kind="job", provider="ice", attributes={})
    other = Resource(address="job.b.s", kind="job", provider="ice", attributes={})
    _check_unique(StreamExpansion(resources=[job, other]))
    twin = (0, "job.a.s", "ice", 1, 2)  # a deferred row: (not_before, address, provider, start, end)
    with pytest.raises(ManifestError, match=r"^two desired objects share the address job\.a\.s$"):
        _check_unique(StreamExpansion(resources=[job, other], deferred=[twin]))


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=200, deadline=None)
@given(rtmp_url=_TEXT, bucket=_TEXT, endpoint=_TEXT, template=st.one_of(_TEXT, st.builds(lambda i: {"id": i}, _TEXT)),
       callback_url=st.one_of(st.none(), _TEXT))
def test_the_job_digest_spells_canonical_json_exactly_for_any_text(rtmp_url, bucket, endpoint, template, callback_url):
    # ICE cannot delete a job: a digest that drifted from the canonical JSON would rename, and so
    # duplicate, every job of a fleet. Quotes, backslashes, control characters and non-ASCII included.
    from livesnap_reconcile.core.names import manifest_template_ref
    from livesnap_reconcile.vendors.alibaba.names import job_digest

    output = {"bucket": bucket, "endpoint": endpoint}
    fields = {"callback_url": callback_url, "output": output, "rtmp_url": rtmp_url,
              "template": manifest_template_ref(template)}
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    expected = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:8]
    assert job_digest(rtmp_url=rtmp_url, output=output, template=template, callback_url=callback_url) == expected
