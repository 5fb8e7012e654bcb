"""Removing an optional template field from the manifest settles in one apply, never loops.

What we test here: a Tencent description removed from a template is cleared with an explicit
empty value (a removed COS prefix goes back to the documented default) and the next plan is empty;
an ICE format that the vendor cannot clear in place makes the plan replace the template and say
why, and after that apply the plan is empty too.
"""

from __future__ import annotations

from pathlib import Path

from tests.workspace import SandboxWorkspace

T0 = 1_795_564_800  # 2026-11-25T00:00:00Z

MANIFEST = """\
version: 1
namespace: clear
providers:
  css: {vendor: tencent, region: ap-guangzhou}
  ice: {vendor: alibaba, region: cn-shanghai}
templates:
  thumbs:
    provider: css
    interval: 10
    description: thumbnails
    cos: {app_id: 1250000000, bucket: thumbs, region: ap-guangzhou, prefix: /thumbs}
  frames:
    provider: ice
    interval: 10
    overwrite_format: "latest/{JobId}.jpg"
    sequence_format: "frames/{JobId}/{UnixTimestamp}.jpg"
"""


class Workspace(SandboxWorkspace):
    def __init__(self, root: Path) -> None:
        super().__init__(root, MANIFEST, now=T0)


def test_a_removed_tencent_description_is_cleared_and_stays_cleared(tmp_path: Path):
    ws = Workspace(tmp_path)
    ws.run("apply", "--auto-approve")
    ws.edit("    description: thumbnails\n", "")
    ws.edit(", prefix: /thumbs}", "}")
    assert "update" in ws.run("apply", "--auto-approve").output
    template = next(t for t in ws.emulator.tencent_templates() if t["TemplateName"] == "clear-thumbs")
    assert template["Description"] == "" and template["CosPrefix"] == "/{Year}-{Month}-{Day}"  # the default
    again = ws.run("plan", "--detailed-exitcode", code=None)
    assert again.exit_code == 0, again.output
    assert "changed outside livesnap" not in again.output


def test_a_removed_ice_format_replaces_the_template_and_says_why(tmp_path: Path):
    ws = Workspace(tmp_path)
    ws.run("apply", "--auto-approve")
    ws.edit('    overwrite_format: "latest/{JobId}.jpg"\n', "")
    plan = ws.run("plan", "--detailed-exitcode", code=2)
    assert "cannot clear overwrite_format in place" in plan.output, plan.output
    assert "changed outside livesnap" not in plan.output
    ws.run("apply", "--auto-approve")
    assert ws.run("plan", "--detailed-exitcode", code=None).exit_code == 0
