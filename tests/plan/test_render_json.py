"""The plan's JSON document and `schemas/plan.schema.json`.

What we test here: the schema is valid JSON Schema 2020-12 and names every key `Plan.to_dict`
emits; render_json output of varied plans validates and round-trips; invalid documents are
rejected with a message saying where and why.
"""

import json

import jsonschema
import pytest

from livesnap_reconcile.plan.model import Action, Plan
from livesnap_reconcile.plan.render_json import (
    plan_document,
    plan_schema,
    render_json,
    validate_plan_document,
)
from tests.plan.factories import (
    T0,
    change,
    create_task,
    deferred,
    drift,
    job_attrs,
    plan,
    task_address,
    task_attrs,
    tencent_template_attrs,
)


def varied_plan() -> Plan:
    return plan(
        create_task(after=task_attrs(template={"ref": "template.thumbs"}), depends_on=("template.thumbs",)),
        change("template.thumbs", Action.CREATE, after=tencent_template_attrs(), remote_id=None),
        change("template.old", Action.UPDATE, before=tencent_template_attrs("old"),
               after=tencent_template_attrs("old", interval=3), diff=("interval",)),
        change("job.main.thumbs", Action.REPLACE, before=job_attrs(bucket="a"), after=job_attrs(bucket="b"),
               diff=("output.bucket",), forces_replacement=("output.bucket",)),
        change("job.side.thumbs", Action.START, before=job_attrs(status="paused"), after=job_attrs()),
        change("job.gone.thumbs", Action.DELETE, before=job_attrs()),
        change(task_address(snapshot="a"), Action.ADOPT, after=task_attrs()),
        change(task_address(snapshot="b"), Action.FORGET, before=task_attrs()),
        drift=(drift("job.side.thumbs", "paused"), drift("job:9", "unexpected", remote_id="9")),
        deferred=(deferred(task_address(start=T0 + 8 * 86400), T0 + 8 * 86400),),
        next_change_at=T0 + 60,
        protected=("template.thumbs",),
        manifest_paths=("examples/manifests",),
    )


def test_schema_is_valid_2020_12():
    jsonschema.Draft202012Validator.check_schema(plan_schema())
    assert plan_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_names_exactly_the_keys_the_model_emits():
    doc = plan_document(varied_plan())
    schema = plan_schema()
    assert set(schema["required"]) == set(doc) == set(schema["properties"])
    assert set(schema["$defs"]["change"]["required"]) == set(doc["changes"][0])
    assert set(schema["$defs"]["drift"]["required"]) == set(doc["drift"][0])
    assert set(schema["$defs"]["deferred"]["required"]) == set(doc["deferred"][0])
    assert schema["$defs"]["change"]["properties"]["action"]["enum"] == [a.value for a in Action]


@pytest.mark.parametrize("p", [plan(), varied_plan()], ids=["empty", "varied"])
def test_render_json_validates_and_round_trips(p):
    doc = json.loads(render_json(p))
    validate_plan_document(doc)
    assert doc["format_version"] == 4
    assert Plan.from_dict(doc).to_dict() == p.to_dict()


def test_render_json_is_deterministic_and_sorted():
    text = render_json(varied_plan())
    assert text == render_json(varied_plan())
    assert list(json.loads(text)) == sorted(json.loads(text))


def mutate(path, value):
    doc = plan_document(varied_plan())
    target = doc
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


@pytest.mark.parametrize(("path", "value", "expected"), [
    (("format_version",), 2, "/format_version"),
    (("changes", 0, "reason_code"), "because", "/changes/0/reason_code"),
    (("changes", 0, "action"), "destroy", "/changes/0/action"),
    (("changes", 0, "address"), "bucket.x", "/changes/0/address"),
    (("changes", 0, "kind"), "job", "/changes/0/address"),
    (("changes", 1, "remote_id"), "tpl-9", "/changes/1/remote_id"),
    (("changes", 5, "after"), job_attrs(), "/changes/5/after"),
    (("changes", 4, "kind"), "task", "/changes/4/kind"),
    (("drift", 0, "what"), "vanished", "/drift/0/what"),
    (("deferred", 0, "start"), "tomorrow", "/deferred/0/start"),
    (("summary", "add"), -1, "/summary/add"),
    (("serial",), KeyError, "'serial' is a required property"),
    (("extra",), True, "Additional properties"),
])
def test_invalid_documents_are_rejected_with_where_and_why(path, value, expected):
    doc = mutate(path, value)
    with pytest.raises(ValueError, match="not a valid livesnap plan document") as info:
        validate_plan_document(doc)
    assert expected in str(info.value)


def test_non_object_is_rejected():
    with pytest.raises(ValueError, match="at the top level"):
        validate_plan_document(["not", "a", "plan"])


def test_many_errors_are_summarised_not_dumped():
    doc = plan_document(varied_plan())
    for c in doc["changes"]:
        c["action"] = "explode"
    with pytest.raises(ValueError) as info:
        validate_plan_document(doc)
    assert "... and 3 more" in str(info.value)
    assert len(str(info.value).splitlines()) == 7
