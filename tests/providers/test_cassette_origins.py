"""Cassettes say whether they hold a vendor's documented example, and those that do hold exactly it.

What we test here: every cassette names its origin; one that claims a documented example has the
example's response JSON unchanged and sends the example's request parameters (the examples are kept
verbatim in ``cassettes/documented/``: Tencent's from the CLI's examples.json, ICE's from its API
pages); the others say they are ours.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml

from tests.providers import exchanges as ex

CASSETTES = sorted(p for vendor in ("alibaba", "tencent") for p in (ex.CASSETTES / vendor).glob("*.yaml"))


def _load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _sent(interaction: dict) -> dict[str, str]:
    """The parameters a cassette's request carries, every value as the text a query would hold."""
    request = interaction["request"]
    body = request.get("body") or ""
    if body.startswith("{"):
        return {k: str(v) for k, v in json.loads(body).items()}
    return dict(parse_qsl(urlsplit(request["uri"]).query)) | dict(parse_qsl(body))


def _documented_params(vendor: str, action: str) -> dict[str, str]:
    example = ex.documented(vendor, action)
    if vendor == "alibaba":  # objects travel as compact JSON strings (the SDK's "shrink")
        return {k: json.dumps(v, separators=(",", ":")) if isinstance(v, dict) else str(v)
                for k, v in example["request"].items()}
    text = example["input"]
    if text.startswith("POST"):  # a JSON body after the headers
        return {k: str(v) for k, v in json.loads(text.split("\n\n", 1)[1]).items()}
    lines = text.split("\n")
    pairs = [line[1:].split("=", 1) for line in lines[1:] if line.startswith("&") and "=" in line]
    return dict(pairs)


@pytest.mark.parametrize("path", CASSETTES, ids=[f"{p.parent.name}/{p.stem}" for p in CASSETTES])
def test_every_cassette_says_where_it_comes_from(path):
    origin = _load(path).get("origin", "")
    assert origin == ex.ORIGIN[(path.parent.name, path.stem)]
    assert origin.startswith(("documented:", "ours: ")), origin


DOCUMENTED = [(v, n, o.split(":", 1)[1]) for (v, n), o in sorted(ex.ORIGIN.items()) if o.startswith("documented:")]


@pytest.mark.parametrize(("vendor", "name", "action"), DOCUMENTED, ids=[f"{v}/{n}" for v, n, _ in DOCUMENTED])
def test_a_documented_cassette_holds_exactly_the_vendors_example(vendor, name, action):
    interaction = _load(ex.CASSETTES / vendor / f"{name}.yaml")["interactions"][0]
    headers = {k.lower(): v[0] for k, v in interaction["request"]["headers"].items()}
    assert headers.get("x-acs-action", headers.get("x-tc-action")) == action
    example = ex.documented(vendor, action)
    assert json.loads(interaction["response"]["body"]["string"]) == json.loads(example["output"])
    assert _sent(interaction) == _documented_params(vendor, action)


def test_the_documented_examples_carry_the_ids_and_times_they_are_known_by():
    describe = json.loads(ex.documented("tencent", "DescribeScreenshotTask")["output"])["Response"]["TaskList"]
    assert [(t["StartTime"], t["EndTime"], t["Stopped"]) for t in describe] == [
        (1595779900, 1595789900, 1595783500), (1595789900, 1595799900, 0)]
    assert json.loads(ex.documented("alibaba", "SubmitLiveSnapshotJob")["output"])["JobId"] == ex.ICE_SUBMITTED_ID
