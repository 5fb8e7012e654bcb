"""Planner invariants on random manifests, against the in-memory emulator (hypothesis).

What we test here: applying a plan and planning again gives no changes and no drift, also after
time has moved on; planning is deterministic; objects livesnap does not manage are never touched.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from livesnap_reconcile.apply.applier import Applier
from livesnap_reconcile.emulator import SANDBOX_KEYS, Clock, Emulator, Faults
from livesnap_reconcile.manifest.expand import expand
from livesnap_reconcile.plan.planner import make_plan
from livesnap_reconcile.providers import SANDBOX_ENDPOINT, make_provider
from livesnap_reconcile.resources import ProviderConfig, RefreshQuery, Resource
from livesnap_reconcile.state import LocalBackend, State

NOW = 1795392000  # 2026-11-23T00:00:00Z
HOUR = 3600
ZONES = ["UTC", "Asia/Shanghai", "America/New_York", "Europe/Berlin"]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def iso(ts: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ts, UTC).isoformat()


windows = st.builds(lambda start, hours: {"window": {"start": iso(NOW + start * 1800),
                                                      "end": iso(NOW + start * 1800 + hours * 1800)}},
                    st.integers(-24, 20 * 48), st.integers(1, 60))
schedules = st.builds(lambda days, hh, mm, dur, tz: {"schedule": {"days": days, "start": f"{hh:02d}:{mm:02d}",
                                                                  "duration": f"{dur}m", "timezone": tz}},
                      st.lists(st.sampled_from(DAYS), min_size=1, max_size=7, unique=True),
                      st.integers(0, 23), st.sampled_from([0, 15, 30]), st.integers(30, 300), st.sampled_from(ZONES))
tencent_timing = st.one_of(windows, schedules)
alibaba_timing = st.one_of(st.just({}), st.just({"status": "paused"}), windows, schedules)


@st.composite
def manifests(draw):
    streams = {}
    for i in range(draw(st.integers(0, 2))):
        snaps = {f"s{j}": {"template": "tt", **draw(tencent_timing)} for j in range(draw(st.integers(1, 3)))}
        streams[f"tc{i}"] = {"provider": "css", "domain": "d.example.com", "app": "live", "stream": f"st{i}",
                             "snapshots": snaps}
    for i in range(draw(st.integers(0, 2))):
        snaps = {f"s{j}": {"template": "at", **draw(alibaba_timing)} for j in range(draw(st.integers(1, 3)))}
        streams[f"al{i}"] = {"provider": "ice", "rtmp_url": f"rtmp://push.example.com/live/al{i}",
                             "output": {"bucket": "b", "endpoint": "oss-cn-shanghai.aliyuncs.com"},
                             "snapshots": snaps}
    return {
        "version": 1, "namespace": "prop",
        "providers": {"ice": {"vendor": "alibaba", "region": "cn-shanghai"},
                      "css": {"vendor": "tencent", "region": "ap-guangzhou"}},
        "templates": {
            "at": {"provider": "ice", "interval": draw(st.integers(5, 3600)),
                   "sequence_format": "snap/{JobId}/{Sequence}.jpg"},
            "tt": {"provider": "css", "interval": draw(st.integers(2, 300)), "width": draw(st.integers(0, 3000)),
                   "cos": {"app_id": 1250000000, "bucket": "thumbs", "region": "ap-guangzhou"}},
        },
        "streams": streams,
    }


class World:
    """One emulator account, its providers and a state file: what `livesnap apply` wires up."""

    def __init__(self, root: Path) -> None:
        self.emu = Emulator(clock=Clock(now=NOW), faults=Faults(default_limits=False))
        self.backend = LocalBackend(root / "state.json")
        self.providers: dict = {}

    def connect(self, configs) -> None:
        for name, cfg in configs.items():
            if name not in self.providers:
                fast = dataclasses.replace(cfg, max_rps=100000.0)
                self.providers[name] = make_provider(
                    fast, transport=self.emu.transport(), credentials=(*SANDBOX_KEYS[cfg.vendor], None),
                    endpoint=SANDBOX_ENDPOINT, now=self.emu.clock.now)

    def now(self) -> int:
        return int(self.emu.clock.now())

    def plan(self, data):
        desired = expand(data, now=self.now())
        self.connect(desired.providers)
        state = self.backend.read() or State.new()
        remote = []
        for name, provider in sorted(self.providers.items()):
            mine = tuple(r for r in desired.resources if r.provider == name)
            remote += provider.refresh(RefreshQuery(desired.namespace, state.known(name), mine, self.now()))
        return make_plan(desired, state.resources, remote, now=self.now(), lineage=state.lineage,
                         serial=state.serial), state

    def apply(self, data):
        plan, state = self.plan(data)
        report = Applier(backend=self.backend, state=state, providers=self.providers, now=self.now).apply(plan)
        assert report.ok, [o for o in report.outcomes if o.status != "ok"]
        return plan

    def unmanaged(self) -> tuple:
        tasks = [{k: v for k, v in t.items() if k != "State"} for t in self.emu.tencent_tasks()
                 if t["StreamName"] == "foreign"]
        templates = [t for t in self.emu.tencent_templates() if not t["TemplateName"].startswith("prop-")]
        jobs = [j for j in self.emu.alibaba_jobs() if not j["JobName"].startswith("ls/prop/")]
        return tasks, templates, jobs


def seed_foreign_objects(world: World) -> None:
    """Objects of another team in the same account, including one with a look-alike task."""
    world.connect({"css": ProviderConfig("css", "tencent", "ap-guangzhou"),
                   "ice": ProviderConfig("ice", "alibaba", "cn-shanghai")})
    css, ice = world.providers["css"], world.providers["ice"]
    tpl = css.create("template", {"name": "other-team", "interval": 10, "width": 0, "height": 0, "porn_flag": 0,
                                  "cos_app_id": 1250000000, "cos_bucket": "x", "cos_region": "ap-guangzhou",
                                  "cos_prefix": None, "cos_file_name": None, "description": ""})
    css.create("task", {"domain": "d.example.com", "app": "live", "stream": "foreign", "start": NOW + HOUR,
                        "end": NOW + 2 * HOUR, "template": {"id": tpl.remote_id}})
    ice.create("job", {"name": "ls/otherns/cam/snap/00000000", "rtmp_url": "rtmp://x.example.com/a/b",
                       "output": {"bucket": "b", "endpoint": "oss-cn-shanghai.aliyuncs.com"},
                       "template": {"id": "00000000000000000000000000000001"}, "callback_url": None,
                       "status": "started"})


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=manifests(), later=st.integers(0, 3 * 24 * 2))
def test_apply_then_plan_is_empty_now_and_later_and_foreign_objects_untouched(data, later):
    with tempfile.TemporaryDirectory() as tmp:
        world = World(Path(tmp))
        seed_foreign_objects(world)
        foreign = world.unmanaged()
        world.apply(data)
        again, _ = world.plan(data)
        assert again.changes == () and again.drift == (), again.to_dict()
        world.emu.clock.advance(later * 1800)  # time passes: windows open, close, come into range
        world.apply(data)
        settled, _ = world.plan(data)
        assert settled.changes == () and settled.drift == (), settled.to_dict()
        assert world.unmanaged() == foreign


@settings(max_examples=25, deadline=None)
@given(data=manifests())
def test_planning_is_deterministic(data):
    desired = expand(data, now=NOW)
    shuffled = dataclasses.replace(desired, resources=tuple(reversed(desired.resources)))
    assert make_plan(desired, {}, [], now=NOW).to_dict() == make_plan(shuffled, {}, [], now=NOW).to_dict()
    assert all(isinstance(r, Resource) for r in desired.resources)
