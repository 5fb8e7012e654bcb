"""The Tencent CLI's machine-readable API spec for the actions livesnap uses, kept as an extract.

The ``tccli`` package (PyPI) carries ``tccli/services/live/v20180801/api.json``, the official
description of every Live action, and ``tccli-intl-en`` the international site's. Installing it
would add about 335 MB to every test environment (it requires the full ``tencentcloud-sdk-python``
and the COS SDK) for one file, so ``tests/providers/specs/tccli-live.json`` keeps, for each action
our client calls, its request members exactly as the two specs give them (name, wire type, member
type, required). Rebuild it from the two wheels with::

    pip download --no-deps -d /tmp/tccli tccli==3.1.189.1 tccli-intl-en==3.1.193.1
    .venv/bin/python -m tests.providers.tccli_spec /tmp/tccli/tccli-*.whl /tmp/tccli/tccli_intl_en-*.whl
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path
from typing import Any

EXTRACT = Path(__file__).with_name("specs") / "tccli-live.json"
API = "tccli/services/live/v20180801/api.json"
_KEPT = ("name", "type", "member", "required")


def load() -> dict[str, Any]:
    return json.loads(EXTRACT.read_text(encoding="utf-8"))


def _site(wheel: Path, actions: list[str]) -> dict[str, Any]:
    with zipfile.ZipFile(wheel) as archive:
        api = json.loads(archive.read(API))
    out: dict[str, Any] = {}
    for action in actions:
        if action not in api["actions"]:
            continue
        members = api["objects"][api["actions"][action]["input"]]["members"]
        out[action] = [{k: m[k] for k in _KEPT if k in m} for m in members]
    return out


def build(china: Path, international: Path) -> None:
    from livesnap_reconcile.providers.tencent.client import ACTIONS

    actions = sorted(ACTIONS)
    EXTRACT.parent.mkdir(exist_ok=True)
    EXTRACT.write_text(json.dumps({
        "source": {"china": china.name, "international": international.name, "file": API},
        "actions": actions,
        "china": _site(china, actions),
        "international": _site(international, actions),
    }, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
