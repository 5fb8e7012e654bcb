"""Losing the state file never duplicates anything: apply, delete the state, apply again.

What we test here (a property, over random manifests of both vendors): after the state file is
deleted, the next plan creates nothing — every template, job, task and rule is adopted — and
the vendors hold exactly the objects they held before, counted on the sandbox emulator.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.workspace import SandboxWorkspace

T0 = 1_795_564_800  # 2026-11-25T00:00:00Z

HEAD = """\
version: 1
namespace: loss
providers:
  ice: {vendor: alibaba, region: cn-shanghai}
  css: {vendor: tencent}
templates:
  a10: {provider: ice, interval: 10, sequence_format: "s/{JobId}/{UnixTimestamp}.jpg"}
  a30: {provider: ice, interval: 30, overwrite_format: "o/{JobId}.jpg"}
  t10: {provider: css, interval: 10, cos: {app_id: 1250000000, bucket: b1, region: ap-guangzhou}}
  t60: {provider: css, interval: 60, cos: {app_id: 1250000000, bucket: b2, region: ap-guangzhou}}
streams:
"""

TIMINGS = {
    "always": "",
    "window": ', window: {start: "2026-11-25T%02d:00:00Z", end: "2026-11-25T%02d:30:00Z"}',
    "schedule": ', schedule: {days: [wed, fri], start: "%02d:00", duration: 45m, timezone: Asia/Shanghai}',
}


@st.composite
def manifests(draw) -> str:
    lines = [HEAD]
    domains_bound: dict[str, str] = {}
    for i in range(draw(st.integers(1, 3))):
        lines.append(f"  ali{i}:\n    provider: ice\n    rtmp_url: rtmp://push.example.com/live/s{i}\n"
                     f"    output: {{bucket: snaps, endpoint: oss-cn-shanghai.aliyuncs.com}}\n    snapshots:\n")
        for j in range(draw(st.integers(1, 2))):
            timing = draw(st.sampled_from(sorted(TIMINGS)))
            hour = draw(st.integers(1, 20))
            extra = TIMINGS[timing] % ((hour, hour) if timing == "window" else (hour,)) if timing != "always" else ""
            lines.append(f"      s{j}: {{template: {draw(st.sampled_from(['a10', 'a30']))}{extra}}}\n")
    for i in range(draw(st.integers(1, 3))):
        domain = f"{draw(st.integers(1, 2))}000.live.push.com"
        lines.append(f"  ten{i}:\n    provider: css\n    domain: {domain}\n    app: live\n    stream: s{i}\n"
                     "    snapshots:\n")
        for j in range(draw(st.integers(1, 2))):
            timing = draw(st.sampled_from(sorted(TIMINGS)))
            template = draw(st.sampled_from(["t10", "t60"]))
            if timing == "always":
                if j or domains_bound.setdefault(domain, template) != template:
                    timing = "window"  # one rule per stream and one template per domain, as Tencent allows
            hour = draw(st.integers(1, 20))
            extra = TIMINGS[timing] % ((hour, hour) if timing == "window" else (hour,)) if timing != "always" else ""
            lines.append(f"      s{j}: {{template: {template}{extra}}}\n")
    return "".join(lines)


def _inventory(ws: SandboxWorkspace) -> dict[str, int]:
    emu = ws.new_emulator()
    return {"ice jobs": len(emu.alibaba_jobs()), "ice templates": len(emu.alibaba_templates()),
            "tasks": len([t for t in emu.tencent_tasks() if t["State"] != "stopped"]),
            "tencent templates": len(emu.tencent_templates()), "rules": len(emu.tencent_rules())}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifests())
def test_a_lost_state_file_is_rebuilt_by_adoption_without_a_single_create(manifest: str):
    with tempfile.TemporaryDirectory() as tmp:
        ws = SandboxWorkspace(Path(tmp), manifest, now=T0)
        first = ws.invoke("apply", "--auto-approve", str(ws.root))
        assert first.exit_code == 0, first.output + first.stderr
        before, recorded = _inventory(ws), set(ws.state_document()["resources"])
        ws.state_path.unlink()
        plan = ws.invoke("plan", "--format", "json", str(ws.root))
        assert plan.exit_code == 0, plan.stderr
        import json

        actions = {c["address"]: c["action"] for c in json.loads(plan.stdout)["changes"]}
        assert set(actions) == recorded and set(actions.values()) <= {"adopt"}, actions
        again = ws.invoke("apply", "--auto-approve", str(ws.root))
        assert again.exit_code == 0, again.output + again.stderr
        assert _inventory(ws) == before
        assert set(ws.state_document()["resources"]) == recorded
