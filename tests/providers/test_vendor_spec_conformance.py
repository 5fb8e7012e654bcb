"""Our clients and the emulator against the vendors' own machine-readable request models.

The official SDKs (test dependencies) ship typed request models: Tencent's ``{Action}Request`` in
``tencentcloud.live.v20180801.models`` (``:type Name: int`` per field) and ICE's
``alibabacloud_ice20201109.models.{Action}Request`` (typed ``__init__``, wire names in ``to_map``,
"This parameter is required." on required fields). What we test here: every action our clients
call and the emulator serves has such a model; every parameter our clients send during a full
cycle of both vendors is a field the model knows, with the model's type, and every required field
is sent; the emulator serves every action our clients call and knows every field the Tencent
models list (it answers UnknownParameter for any other; ICE's gateway ignores unknown fields).
"""

from __future__ import annotations

import inspect
import re
from typing import Any

import alibabacloud_ice20201109.models as ice_models
import pytest
from tencentcloud.live.v20180801 import models as tc_models

from livesnap_reconcile.emulator import Emulator, Faults
from livesnap_reconcile.emulator import ice as emu_ice
from livesnap_reconcile.emulator import tencent_templates as emu_tc
from livesnap_reconcile.emulator.clock import Clock
from livesnap_reconcile.providers.alibaba.client import ACTIONS as ICE_ACTIONS
from livesnap_reconcile.providers.alibaba.client import IceClient
from livesnap_reconcile.providers.tencent.client import ACTIONS as TC_ACTIONS
from livesnap_reconcile.providers.tencent.client import LiveClient
from livesnap_reconcile.resources import Known, RefreshQuery
from tests.emulator.helpers import Caller
from tests.providers.conftest import T0, Sandbox
from tests.providers.test_emulator_operations import ICE_TEMPLATE, TC_TEMPLATE, job_attrs, task_attrs

_TC_TYPES = {"int": int, "str": str, "bool": bool, "float": float}


def tencent_fields(action: str) -> dict[str, type | None]:
    """Field -> Python type (None: a structure or list) from the SDK's request model."""
    model = getattr(tc_models, f"{action}Request")
    doc = inspect.getdoc(model.__init__) or ""
    fields = dict(re.findall(r":type (\w+): (.+)", doc))
    return {name: _TC_TYPES.get(kind.strip()) for name, kind in fields.items()}


def ice_fields(action: str) -> dict[str, tuple[Any, bool]]:
    """Wire name -> (annotation, required) from the SDK's typed request model."""
    model = getattr(ice_models, f"{action}Request")
    source = inspect.getsource(model)
    wire = dict(re.findall(r"result\['(\w+)'\] = self\.(\w+)", source))
    attr_to_wire = {attr: name for name, attr in wire.items()}
    required = set(re.findall(r"This parameter is required\.\n\s*self\.(\w+) =", source))
    hints = inspect.signature(model.__init__).parameters
    return {attr_to_wire[a]: (hints[a].annotation, a in required) for a in attr_to_wire}


def _capture(monkeypatch) -> list[tuple[str, str, dict]]:
    sent: list[tuple[str, str, dict]] = []
    for vendor, cls in (("tencent", LiveClient), ("alibaba", IceClient)):
        original = cls.build

        def build(self, action, params, _original=original, _vendor=vendor):
            sent.append((_vendor, action, dict(params)))
            return _original(self, action, params)

        monkeypatch.setattr(cls, "build", build)
    return sent


def _full_cycle() -> None:
    box = Sandbox()
    try:
        css = box.provider("tencent")
        template = css.create("template", TC_TEMPLATE)
        css.get("template", template.remote_id)
        css.update("template", template.remote_id, {**TC_TEMPLATE, "description": ""})
        css.find("template", TC_TEMPLATE, now=T0)
        task = css.create("task", task_attrs(template.remote_id, start=T0 - 600))
        css.refresh(RefreshQuery(namespace="ns", known=(Known("task.a", "task", task.remote_id, task.attributes),)))
        css.get("task", task.remote_id)
        css.delete("task", task.remote_id, task.attributes)
        rule = {"domain": "5000.live.push.com", "app": "live", "stream": "s1", "template": {"id": template.remote_id}}
        made = css.create("rule", rule)
        css.get("rule", made.remote_id)
        css.delete("rule", made.remote_id, rule)
        css.delete("template", template.remote_id, TC_TEMPLATE)
        ice = box.provider("alibaba")
        ice_template = ice.create("template", ICE_TEMPLATE)
        ice.update("template", ice_template.remote_id, {**ICE_TEMPLATE, "interval": 20})
        ice.find("template", ICE_TEMPLATE, now=T0)
        job = ice.create("job", job_attrs(ice_template.remote_id))
        ice.stop(job.remote_id)
        ice.start(job.remote_id)
        ice.snapshot_files(job.remote_id, start=T0 - 3600, end=T0 + 3600)
        ice.find("job", job.attributes, now=T0)
        ice.delete("job", job.remote_id, job.attributes)
        ice.delete("template", ice_template.remote_id, ICE_TEMPLATE)
    finally:
        box.close()


@pytest.fixture(scope="module")
def sent():
    mp = pytest.MonkeyPatch()
    try:
        captured = _capture(mp)
        _full_cycle()
    finally:
        mp.undo()
    return captured


def test_every_client_action_has_an_sdk_model():
    assert all(hasattr(tc_models, f"{a}Request") for a in TC_ACTIONS)
    assert all(hasattr(ice_models, f"{a}Request") for a in ICE_ACTIONS)


def test_the_emulator_serves_every_action_our_clients_call():
    assert set(TC_ACTIONS) <= set(emu_tc.ACTIONS)
    assert set(ICE_ACTIONS) <= set(emu_ice.ACTIONS)


def test_the_full_cycle_calls_every_client_action(sent):
    assert {a for v, a, _ in sent if v == "tencent"} == set(TC_ACTIONS)
    assert {a for v, a, _ in sent if v == "alibaba"} == set(ICE_ACTIONS)


def test_tencent_requests_send_only_known_fields_with_the_models_types(sent):
    for vendor, action, params in sent:
        if vendor != "tencent":
            continue
        fields = tencent_fields(action)
        assert set(params) <= set(fields), (action, set(params) - set(fields))
        for name, value in params.items():
            expected = fields[name]
            if expected is not None:
                assert type(value) is expected, (action, name, value, expected)


def test_ice_requests_send_only_known_fields_with_the_models_types_and_every_required_one(sent):
    for vendor, action, params in sent:
        if vendor != "alibaba":
            continue
        fields = ice_fields(action)
        present = {k for k, v in params.items() if v is not None}
        assert present <= set(fields), (action, present - set(fields))
        missing = {k for k, (_, required) in fields.items() if required} - present
        assert not missing, (action, missing)
        for name in present:
            annotation = fields[name][0]
            if annotation in ("str", str):
                assert isinstance(params[name], str), (action, name, params[name])
            elif annotation in ("int", int):
                assert isinstance(params[name], int) and not isinstance(params[name], bool), (action, name)


@pytest.mark.parametrize("action", sorted(TC_ACTIONS))
def test_the_emulator_knows_every_field_of_the_tencent_model(action):
    caller = Caller(Emulator(clock=Clock(now=T0), faults=Faults(rps=0), seed=0))
    dummy = {int: 1, str: "x", bool: False, float: 1.0}
    params = {name: dummy[kind] for name, kind in tencent_fields(action).items() if kind in dummy}
    answer = caller.tc(action, **params)
    assert answer.get("Error", {}).get("Code") != "UnknownParameter", (action, answer)
