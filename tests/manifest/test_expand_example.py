"""The DESIGN.md §2 example manifest, expanded at one instant: the whole picture in one place."""

from __future__ import annotations

from livesnap_reconcile.manifest.expand import expand
from tests.manifest.expand_support import ts

EXAMPLE = {
    "version": 1,
    "namespace": "newsroom",
    "providers": {
        "ice-sh": {"vendor": "alibaba", "region": "cn-shanghai"},
        "css-gz": {"vendor": "tencent", "region": "ap-guangzhou"},
    },
    "templates": {
        "every-10s": {"provider": "ice-sh", "interval": 10, "sequence_format": "snapshot/{JobId}/{UnixTimestamp}.jpg"},
        "thumbs-640": {
            "provider": "css-gz",
            "interval": 10,
            "width": 640,
            "cos": {"app_id": 1250000000, "bucket": "thumbs", "region": "ap-guangzhou", "prefix": "/live/{Year}-{Month}-{Day}"},
        },
    },
    "streams": {
        "main-stage": {
            "provider": "ice-sh",
            "rtmp_url": "rtmp://push.example.com/live/main-stage",
            "output": {"bucket": "media-snapshots", "endpoint": "oss-cn-shanghai.aliyuncs.com"},
            "snapshots": {
                "always-on": {"template": "every-10s", "callback_url": "https://hooks.example.com/snap"},
                "matinee": {
                    "template": "every-10s",
                    "schedule": {"days": ["sat", "sun"], "start": "14:00", "duration": "2h", "timezone": "Asia/Shanghai"},
                },
            },
        },
        "lobby": {
            "provider": "css-gz",
            "domain": "5000.live.push.com",
            "app": "live",
            "stream": "livetest",
            "snapshots": {
                "launch": {
                    "template": "thumbs-640",
                    "window": {"start": "2026-11-25T09:00:00+08:00", "end": "2026-11-25T12:00:00+08:00"},
                },
                "news": {
                    "template": {"id": 12345},
                    "schedule": {
                        "days": ["mon", "tue", "wed", "thu", "fri"],
                        "start": "19:00",
                        "duration": "90m",
                        "timezone": "Asia/Shanghai",
                    },
                },
            },
        },
    },
}


def test_design_example_at_wednesday_ten_in_shanghai():
    now = ts("2026-11-25T10:00:00+08:00")
    state = expand(EXAMPLE, now=now)
    assert [r.address for r in state.resources] == [
        "job.main-stage.always-on",
        "job.main-stage.matinee",
        "task.lobby.launch[2026-11-25T01:00Z]",
        "task.lobby.news[2026-11-25T11:00Z]",
        "task.lobby.news[2026-11-26T11:00Z]",
        "task.lobby.news[2026-11-27T11:00Z]",
        "task.lobby.news[2026-11-30T11:00Z]",
        "template.every-10s",
        "template.thumbs-640",
    ]
    jobs = {r.address: r.attributes["status"] for r in state.resources if r.kind == "job"}
    assert jobs == {"job.main-stage.always-on": "started", "job.main-stage.matinee": "paused"}
    assert [d.address for d in state.deferred][:2] == [
        "task.lobby.news[2026-12-01T11:00Z]",
        "task.lobby.news[2026-12-02T11:00Z]",
    ]
    assert state.next_change_at == ts("2026-11-25T12:00:00+08:00")  # the launch window closes


def test_design_example_on_saturday_afternoon_starts_the_matinee():
    now = ts("2026-11-28T14:30:00+08:00")
    state = expand(EXAMPLE, now=now)
    matinee = next(r for r in state.resources if r.address == "job.main-stage.matinee")
    assert matinee.attributes["status"] == "started"
    assert "task.lobby.launch[2026-11-25T01:00Z]" not in {r.address for r in state.resources}
    assert state.next_change_at == ts("2026-11-28T16:00:00+08:00")
