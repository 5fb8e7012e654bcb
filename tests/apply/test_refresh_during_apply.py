"""Temporary credentials expire in the middle of a long apply and are renewed without a failed change.

Every sandbox request takes a minute of sandbox time (injected latency advancing its clock), so an
apply of 100 jobs and 7 templates spans hours while the assumed roles' sessions last one hour. (A
minute, not more: four workers' latencies must stay inside the refresh margin, as real ones do.)
"""

from __future__ import annotations

from livesnap_reconcile.apply.applier import Applier
from livesnap_reconcile.emulator import SANDBOX_KEYS, Clock, Emulator, Faults
from livesnap_reconcile.emulator.identity import ROLES
from livesnap_reconcile.manifest.expand import expand
from livesnap_reconcile.plan.planner import make_plan
from livesnap_reconcile.providers import SANDBOX_ENDPOINT, make_provider
from livesnap_reconcile.resources import RefreshQuery
from livesnap_reconcile.state import LocalBackend, State

NOW = 1_800_000_000
ENV = {"ALIBABA_CLOUD_ACCESS_KEY_ID": SANDBOX_KEYS["alibaba"][0],
       "ALIBABA_CLOUD_ACCESS_KEY_SECRET": SANDBOX_KEYS["alibaba"][1], "ALIBABA_CLOUD_ROLE_ARN": ROLES["alibaba"][0],
       "TENCENTCLOUD_SECRET_ID": SANDBOX_KEYS["tencent"][0], "TENCENTCLOUD_SECRET_KEY": SANDBOX_KEYS["tencent"][1],
       "TENCENTCLOUD_ROLE_ARN": ROLES["tencent"][0]}


def manifest() -> dict:
    streams = {f"s{i}": {"provider": "ice", "rtmp_url": f"rtmp://push.example.com/live/s{i}",
                         "output": {"bucket": "media", "endpoint": "oss-cn-shanghai.aliyuncs.com"},
                         "snapshots": {"on": {"template": "at"}}} for i in range(100)}
    templates = {"at": {"provider": "ice", "interval": 10, "sequence_format": "snap/{JobId}/{Sequence}.jpg"}}
    templates.update({f"t{i}": {"provider": "css", "interval": 10, "width": 640,
                                "cos": {"app_id": 1250000000, "bucket": "thumbs", "region": "ap-guangzhou"}}
                      for i in range(6)})
    return {"version": 1, "namespace": "long", "templates": templates, "streams": streams,
            "providers": {"ice": {"vendor": "alibaba", "region": "cn-shanghai"},
                          "css": {"vendor": "tencent", "region": "ap-guangzhou"}}}


def test_a_long_apply_renews_credentials_and_every_change_succeeds(tmp_path):
    clock = Clock(now=NOW)
    emu = Emulator(clock=clock, faults=Faults(default_limits=False, latency_ms=60_000), sleep=clock.advance)
    desired = expand(manifest(), now=NOW)
    providers = {name: make_provider(cfg, env=ENV, home=tmp_path, transport=emu.transport(),
                                     endpoint=SANDBOX_ENDPOINT, now=clock.now, sleep=clock.advance)
                 for name, cfg in desired.providers.items()}
    backend = LocalBackend(tmp_path / "state.json")
    state = State.new()
    remote = [obj for name, p in sorted(providers.items())
              for obj in p.refresh(RefreshQuery(desired.namespace, state.known(name),
                                                tuple(r for r in desired.resources if r.provider == name), NOW))]
    plan = make_plan(desired, state.resources, remote, now=NOW, lineage=state.lineage, serial=state.serial)
    started = clock.now()
    report = Applier(backend=backend, state=state, providers=providers, now=lambda: int(clock.now()),
                     parallelism=4).apply(plan)
    assert report.ok, [o for o in report.outcomes if o.status != "ok"]
    assert len(report.outcomes) == 107
    assert clock.now() - started > 2.5 * 3600  # the apply outlived two one-hour sessions
    by_vendor = {v: [k for k in emu.identity.issued if k.vendor == v] for v in ("alibaba", "tencent")}
    assert len(by_vendor["alibaba"]) >= 3 and len(by_vendor["tencent"]) >= 1
    assert len(emu.alibaba_jobs()) == 100
