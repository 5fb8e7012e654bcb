"""Validation beyond the corpus: the examples, warnings, ordering, the schema file, credentials.

What we test here: the shipped examples are valid (together and one by one, and against the raw
schema as an editor sees it); past windows warn only when ``now`` is given and never fail;
diagnostics come sorted and print as ``file:line:col: message (at path)``; the schema is a valid
Draft 2020-12 document found through the package, not the working directory; secret-looking keys
are recognised while user-chosen names are not; no secret value reaches a message.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from livesnap_reconcile.errors import ManifestError
from livesnap_reconcile.loopback import is_loopback
from livesnap_reconcile.manifest import credentials, schema
from livesnap_reconcile.manifest.diagnostics import Diagnostic
from livesnap_reconcile.manifest.load import load_manifest
from livesnap_reconcile.manifest.validate import load_and_validate, validate

EXAMPLES = Path(__file__).parents[2] / "examples" / "manifests"
NOW = datetime(2026, 12, 1, tzinfo=UTC)

TENCENT = """version: 1
namespace: demo
providers:
  css: {vendor: tencent}
templates:
  ten: {provider: css, cos: {app_id: 1250000000, bucket: b1, region: ap-guangzhou}}
streams:
  hall:
    provider: css
    domain: 5000.live.push.com
    app: live
    stream: hall
    snapshots:
      old: {template: ten, window: {start: "2026-11-25T09:00:00Z", end: "2026-11-25T12:00:00Z"}}
      ended: {template: ten, schedule: {start: "10:00", duration: 1h, until: "2026-10-01"}}
      future: {template: ten, window: {start: "2026-12-25T09:00:00Z", end: "2026-12-25T12:00:00Z"}}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_examples_validate_together_and_alone():
    files = sorted(EXAMPLES.glob("*.yaml"))
    assert len(files) >= 3
    assert validate(load_manifest([EXAMPLES]), now=NOW) == []
    for path in files:
        assert validate(load_manifest([path])) == [], path
        assert path.read_text().startswith("# yaml-language-server: $schema=../../schemas/manifest.schema.json\n")


def test_examples_share_one_namespace_and_cover_both_vendors():
    data = load_manifest([EXAMPLES]).data
    vendors = {p["vendor"] for p in data["providers"].values()}
    assert vendors == {"alibaba", "tencent"}
    assert any("schedule" in s for st in data["streams"].values() for s in st["snapshots"].values())


def test_examples_pass_the_raw_schema_as_an_editor_sees_it():
    validator = Draft202012Validator(schema.load_schema())
    for path in EXAMPLES.glob("*.yaml"):
        assert list(validator.iter_errors(load_manifest([path]).data)) == []


def test_schema_is_valid_2020_12_and_found_from_any_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    document = schema.load_schema()
    Draft202012Validator.check_schema(document)
    assert document["$schema"].endswith("2020-12/schema")
    assert schema.SCHEMA_PATH.parent.name == "schemas" and schema.SCHEMA_PATH.parent.parent.name == "livesnap_reconcile"


def test_past_windows_warn_only_with_now_and_do_not_fail(tmp_path: Path):
    path = _write(tmp_path, TENCENT)
    assert validate(load_manifest([path])) == []
    warnings = validate(load_manifest([path]), now=NOW)
    assert [(d.severity, d.line, d.path) for d in warnings] == [
        ("warning", 14, "streams.hall.snapshots.old.window.end"),
        ("warning", 15, "streams.hall.snapshots.ended.schedule.until"),
    ]
    loaded = load_and_validate([path], now=NOW)
    assert loaded.warnings == tuple(warnings)
    assert str(warnings[0]).startswith(f"{path}:14:")
    assert ": warning: window ended at 2026-11-25T12:00:00Z" in str(warnings[0])


def test_diagnostics_are_sorted_and_formatted(tmp_path: Path):
    path = _write(tmp_path, TENCENT.replace("{vendor: tencent}", "{vendor: tencent, max_rps: -1}")
                  .replace("namespace: demo", "namespace: Demo"))
    with pytest.raises(ManifestError) as caught:
        load_and_validate([path])
    diags = caught.value.diagnostics
    assert [d.line for d in diags] == [2, 4]
    assert str(diags[0]) == (f"{path}:2:12: namespace must be 1-32 lowercase letters, digits or '-', "
                             "starting with a letter or digit (got 'Demo') (at namespace)")
    assert str(diags[1]).endswith("max_rps must be greater than 0 (got -1) (at providers.css.max_rps)")


def test_diagnostic_text_and_dict_forms():
    diag = Diagnostic("warning", "a.yaml", 3, 5, "streams.x", "careful")
    assert str(diag) == "a.yaml:3:5: warning: careful (at streams.x)"
    assert str(Diagnostic("error", "a.yaml", 1, 1, "", "broken")) == "a.yaml:1:1: broken"
    assert diag.to_dict() == {"severity": "warning", "file": "a.yaml", "line": 3, "column": 5,
                              "path": "streams.x", "message": "careful"}


@pytest.mark.parametrize("key", ["secret", "access_key_secret", "secret_key", "password", "token", "Token",
                                 "SecretKey", "secret_id", "accessKeyId", "api-key", "cos_secret_key"])
def test_secret_looking_keys(key: str):
    assert credentials.is_secret_key(key)


@pytest.mark.parametrize("key", ["region", "interval", "profile", "endpoint", "max_rps", "tokenizer",
                                 "description", "key_frame", "app_id"])
def test_ordinary_keys(key: str):
    assert not credentials.is_secret_key(key)


def test_user_chosen_names_are_not_credentials_but_values_never_leak(tmp_path: Path):
    text = TENCENT.replace("  hall:\n", "  token-bridge:\n").replace(
        "{vendor: tencent}", "{vendor: tencent, secret_key: hunter2-value}")
    with pytest.raises(ManifestError) as caught:
        load_and_validate([_write(tmp_path, text)])
    (diag,) = caught.value.diagnostics
    assert diag.path == "providers.css.secret_key" and diag.message == credentials.MESSAGE
    assert "hunter2" not in str(caught.value) and "hunter2" not in str(diag)


# Where the manifest lets users choose the keys: names of providers, templates, streams, snapshots.
NAME_MAPS = {("providers",), ("templates",), ("streams",), ("streams", "*", "snapshots")}


def _object_schemas(node: object, path: tuple = ()):
    """(path, schema) of every object the schema describes; ``if`` branches only select, so skipped."""
    if not isinstance(node, dict):
        return
    if node.get("type") == "object" or "properties" in node or "additionalProperties" in node:
        yield path, node
    for key, child in node.get("properties", {}).items():
        yield from _object_schemas(child, (*path, key))
    if isinstance(node.get("additionalProperties"), dict):
        yield from _object_schemas(node["additionalProperties"], (*path, "*"))
    for keyword in ("then", "else", "items"):
        yield from _object_schemas(node.get(keyword), path)


def test_the_schema_admits_no_field_key_it_does_not_name_and_names_no_secret():
    # What lets `validate` skip the secret-key walk for a document the schema accepts.
    objects = list(_object_schemas(schema._inline_refs(schema.load_schema())))
    assert {p for p, _ in objects} >= NAME_MAPS | {("streams", "*", "snapshots", "*", "schedule")}
    for path, node in objects:
        if path in NAME_MAPS:
            assert isinstance(node["additionalProperties"], dict), path
        else:
            assert node.get("additionalProperties") is False, path
        assert not [k for k in node.get("properties", {}) if credentials.is_secret_key(k)], path


def test_a_secret_key_in_an_otherwise_valid_stream_is_still_refused(tmp_path: Path):
    text = TENCENT.replace("{template: ten, window:", "{template: ten, api_token: x, window:", 1)
    with pytest.raises(ManifestError) as caught:
        load_and_validate([_write(tmp_path, text)])
    (diag,) = caught.value.diagnostics
    assert diag.path.endswith(".api_token") and diag.message == credentials.MESSAGE


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.9.9.9", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("emu.localhost", True), ("example.com", False), ("10.0.0.1", False), ("localhost.example.com", False),
])
def test_loopback_hosts(host: str, loopback: bool):
    assert is_loopback(host) is loopback


def test_one_mistake_gives_one_message(tmp_path: Path):
    text = TENCENT.replace("cos: {app_id", "intervl: 5, cos: {app_id").replace(
        "{template: ten, window: {start: \"2026-12-25", "{template: ten, windo: {start: \"2026-12-25")
    with pytest.raises(ManifestError) as caught:
        load_and_validate([_write(tmp_path, text)])
    messages = [d.message for d in caught.value.diagnostics]
    assert len(messages) == 2, messages
    assert all("did you mean" in m for m in messages)
