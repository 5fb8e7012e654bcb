"""Refusals before plan/apply (endpoints, saved plans) and where the state file lives by default."""

from __future__ import annotations

from pathlib import Path

import pytest

from livesnap_reconcile.errors import StateError, StateStale
from livesnap_reconcile.state import (
    State,
    check_endpoints,
    check_plan_matches,
    default_state_path,
    sandbox_state_path,
)
from tests.state.helpers import sample_state

REAL = "https://ice.cn-shanghai.aliyuncs.com"
SANDBOX = "http://127.0.0.1:8765"


def test_same_endpoints_pass_ignoring_a_trailing_slash_and_case():
    check_endpoints(sample_state(), {"ice-sh": ("alibaba", REAL + "/")})
    check_endpoints(sample_state(), {"ice-sh": ("alibaba", REAL.upper())})


def test_another_endpoint_is_refused_naming_both():
    with pytest.raises(StateError) as caught:
        check_endpoints(sample_state(), {"ice-sh": ("alibaba", SANDBOX)})
    message = str(caught.value)
    assert f"state was made against {REAL} but this run uses {SANDBOX}" in message
    assert "refusing to mix sandbox and real clouds" in message


def test_every_mismatch_is_listed_and_a_vendor_change_is_refused():
    state = sample_state().with_provider("css-gz", "tencent", "https://live.tencentcloudapi.com")
    with pytest.raises(StateError) as caught:
        check_endpoints(state, {"ice-sh": ("tencent", REAL), "css-gz": ("tencent", SANDBOX)})
    lines = str(caught.value).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("provider css-gz:") and SANDBOX in lines[0]
    assert lines[1].startswith("provider ice-sh:") and "vendor alibaba" in lines[1]


def test_providers_unknown_to_either_side_pass():
    check_endpoints(sample_state(), {"new-provider": ("tencent", SANDBOX)})
    check_endpoints(sample_state(), {})
    check_endpoints(None, {"ice-sh": ("alibaba", SANDBOX)})


def test_a_plan_made_against_this_state_matches():
    state = State(format_version=1, lineage="abc", serial=4)
    check_plan_matches(state, lineage="abc", serial=4)


def test_a_plan_for_another_lineage_or_serial_is_stale_with_the_reason():
    state = State(format_version=1, lineage="abc", serial=4)
    with pytest.raises(StateStale, match="lineage xyz but the state has lineage abc"):
        check_plan_matches(state, lineage="xyz", serial=4)
    with pytest.raises(StateStale, match="plan at serial 3, state now at serial 4"):
        check_plan_matches(state, lineage="abc", serial=3)


def test_without_a_state_file_only_a_plan_made_before_any_state_matches():
    check_plan_matches(None, lineage="abc", serial=0)
    with pytest.raises(StateStale, match="no state file"):
        check_plan_matches(None, lineage="abc", serial=2)


def test_default_state_path_sits_beside_the_manifests(tmp_path):
    manifests = tmp_path / "manifests"
    manifests.mkdir()
    (manifests / "live.yaml").write_text("version: 1\n")
    assert default_state_path([manifests]) == manifests / ".livesnap" / "state.json"
    assert default_state_path([manifests / "live.yaml"]) == manifests / ".livesnap" / "state.json"
    other = tmp_path / "other.yaml"
    assert default_state_path([other, manifests]) == tmp_path / ".livesnap" / "state.json"
    assert default_state_path([]) == Path(".livesnap/state.json")


def test_sandbox_state_is_apart_from_the_real_one(tmp_path):
    assert sandbox_state_path([tmp_path]) == tmp_path / ".livesnap" / "sandbox" / "state.json"
    assert sandbox_state_path([tmp_path]) != default_state_path([tmp_path])
