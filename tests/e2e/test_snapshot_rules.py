"""Always-on Tencent snapshots as snapshot rules, end to end against the embedded sandbox.

What we test here: an always-on snapshot (no window, no schedule) expands to one rule (``scope:
app`` to one for the whole app) and apply creates exactly that at the vendor; a second plan is
empty; a changed template replaces the rule; a rule deleted outside livesnap is drift and is
recreated; a lost state file re-adopts the rule instead of creating a duplicate; a foreign rule on
our domain is reported and never touched; a protected rule is not replaced; removing the snapshot
and its template deletes the rule first; a foreign rule holding a template we delete fails with a
message naming the rule. Validation refuses two templates on one domain and two rules with one key.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from livesnap_reconcile.manifest.expand import expand
from livesnap_reconcile.manifest.validate import load_and_validate
from tests.workspace import SandboxWorkspace

T0 = 1_795_564_800  # 2026-11-25T00:00:00Z

MANIFEST = """\
version: 1
namespace: rules
providers:
  css: {vendor: tencent, region: ap-guangzhou}
templates:
  thumbs: {provider: css, interval: 10, cos: {app_id: 1250000000, bucket: thumbs, region: ap-guangzhou}}
  posters: {provider: css, interval: 60, cos: {app_id: 1250000000, bucket: posters, region: ap-guangzhou}}
streams:
  hall:
    provider: css
    domain: 5000.live.push.com
    app: live
    stream: hall
    snapshots:
      always: {template: thumbs}
"""

RULE = "rule.hall.always"


class Workspace(SandboxWorkspace):
    def __init__(self, root: Path) -> None:
        super().__init__(root, MANIFEST, now=T0)

    def run(self, *args: str, code: int | None = 0):
        result = self.invoke(*args)
        assert "Traceback" not in result.output + result.stderr
        if code is not None:
            assert result.exit_code == code, result.output + result.stderr
        return result

    def apply(self, *args: str, code: int | None = 0):
        return self.run("apply", "--auto-approve", *args, str(self.root), code=code)

    def plan(self, *args: str, code: int | None = None):
        return self.run("plan", "--detailed-exitcode", *args, str(self.root), code=code)

    def rules(self) -> list[tuple[str, str, str, int]]:
        return [(r["DomainName"], r["AppName"], r["StreamName"], r["TemplateId"]) for r in self.emulator.tencent_rules()]

    def template_id(self, name: str) -> int:
        return next(t["TemplateId"] for t in self.emulator.tencent_templates() if t["TemplateName"] == f"rules-{name}")


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)


def test_an_always_on_snapshot_expands_to_one_rule_per_scope(ws: Workspace):
    ws.edit("      always: {template: thumbs}\n", "      always: {template: thumbs}\n"
            "      lobby: {template: thumbs, scope: app}\n".replace("lobby", "everyone"))
    ws.edit("    stream: hall\n", "    stream: hall\n")
    desired = expand(load_and_validate([ws.manifest]).data, now=T0)
    rules = {r.address: dict(r.attributes) for r in desired.resources if r.kind == "rule"}
    assert rules == {
        "rule.hall.always": {"domain": "5000.live.push.com", "app": "live", "stream": "hall",
                             "template": {"ref": "template.thumbs"}},
        "rule.hall.everyone": {"domain": "5000.live.push.com", "app": "live", "stream": "",
                               "template": {"ref": "template.thumbs"}},
    }
    assert not desired.deferred and desired.next_change_at is None  # always on: nothing to wait for


def test_apply_creates_the_rule_and_a_second_plan_is_empty(ws: Workspace):
    first = ws.apply()
    assert f"+ {RULE}: created" in first.output
    assert ws.rules() == [("5000.live.push.com", "live", "hall", ws.template_id("thumbs"))]
    assert "No changes." in ws.plan(code=0).output
    entry = ws.state_document()["resources"][RULE]
    assert entry["remote_id"] == "5000.live.push.com/live/hall" and entry["kind"] == "rule"


def test_a_changed_template_replaces_the_rule(ws: Workspace):
    ws.apply()
    ws.edit("always: {template: thumbs}", "always: {template: posters}")
    plan = ws.plan(code=2)
    assert f"{RULE} must be replaced" in plan.output
    ws.apply()
    assert ws.rules() == [("5000.live.push.com", "live", "hall", ws.template_id("posters"))]
    assert "No changes." in ws.plan(code=0).output


def test_a_rule_deleted_outside_is_drift_and_is_recreated(ws: Workspace):
    ws.apply()
    ws.emulator.tencent_delete_rule("5000.live.push.com", "live", "hall")
    drift = ws.run("drift", str(ws.root), code=None)
    assert RULE in drift.output and "deleted" in drift.output
    ws.apply()
    assert len(ws.rules()) == 1 and "No changes." in ws.plan(code=0).output


def test_a_lost_state_file_adopts_the_rule_instead_of_duplicating_it(ws: Workspace):
    ws.apply()
    ws.state_path.unlink()
    again = ws.apply()
    assert "Apply complete!" in again.output
    assert len(ws.rules()) == 1
    assert ws.state_document()["resources"][RULE]["remote_id"] == "5000.live.push.com/live/hall"


def test_a_foreign_rule_on_our_domain_is_reported_and_never_touched(ws: Workspace):
    ws.apply()
    ws.emulator.tencent_add_rule("5000.live.push.com", "other-app", "", ws.template_id("thumbs"))
    plan = ws.plan(code=None)
    assert "rule on 5000.live.push.com (app other-app, every stream" in plan.output
    ws.apply()
    assert ("5000.live.push.com", "other-app", "", ws.template_id("thumbs")) in ws.rules()


def test_a_protected_rule_is_not_replaced(ws: Workspace):
    ws.edit("always: {template: thumbs}", "always: {template: thumbs, protect: true}")
    ws.apply()
    ws.edit("template: thumbs, protect: true", "template: posters, protect: true")
    refused = ws.plan(code=1)
    assert f"{RULE} is protected" in refused.output + refused.stderr
    assert ws.rules() == [("5000.live.push.com", "live", "hall", ws.template_id("thumbs"))]


def test_removing_the_snapshot_and_its_template_deletes_the_rule_first(ws: Workspace):
    ws.apply()
    ws.edit("    snapshots:\n      always: {template: thumbs}\n",
            "    snapshots:\n      later: {template: posters, window: {start: \"2026-11-25T09:00:00+08:00\", "
            "end: \"2026-11-25T10:00:00+08:00\"}}\n")
    ws.edit("  thumbs: {provider: css", "  unused: {provider: css")
    ws.apply()
    assert ws.rules() == []
    assert "rules-thumbs" not in [t["TemplateName"] for t in ws.emulator.tencent_templates()]


def test_a_foreign_rule_holding_our_template_is_named_in_the_error(ws: Workspace):
    ws.apply()
    ws.emulator.tencent_add_rule("6000.live.push.com", "live", "", ws.template_id("thumbs"))
    ws.edit("always: {template: thumbs}", "always: {template: posters}")
    ws.edit("  thumbs: {provider: css", "  unused: {provider: css")
    result = ws.apply(code=1)
    assert "still bound by the snapshot rule domain 6000.live.push.com app live" in result.output + result.stderr


@pytest.mark.parametrize("edit, message", [
    (("    stream: hall\n    snapshots:\n      always: {template: thumbs}\n",
      "    stream: hall\n    snapshots:\n      always: {template: thumbs}\n"
      "  lobby:\n    provider: css\n    domain: 5000.live.push.com\n    app: live\n    stream: lobby\n"
      "    snapshots:\n      always: {template: posters}\n"),
     "domain 5000.live.push.com is already bound to template 'thumbs'"),
    (("      always: {template: thumbs}\n", "      always: {template: thumbs}\n"
      "      again: {template: thumbs, scope: stream}\n"),
     "already makes the snapshot rule for domain 5000.live.push.com, app live, stream hall"),
])
def test_validation_refuses_what_the_vendor_would(ws: Workspace, edit, message):
    ws.edit(*edit)
    result = ws.run("validate", str(ws.root), code=1)
    assert message in result.stderr
    assert f"{ws.manifest.name}:" in result.stderr


def test_a_task_with_the_rules_template_on_its_stream_is_a_warning(ws: Workspace):
    ws.edit("      always: {template: thumbs}\n", "      always: {template: thumbs}\n"
            "      launch: {template: thumbs, window: {start: \"2026-11-25T09:00:00+08:00\", "
            "end: \"2026-11-25T10:00:00+08:00\"}}\n")
    result = ws.run("validate", "--format", "json", str(ws.root), code=0)
    warnings = [d for d in json.loads(result.stdout)["diagnostics"] if d["severity"] == "warning"]
    assert any("always on with the same template" in w["message"] for w in warnings)
