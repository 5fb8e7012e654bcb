"""Tencent Live's part of the manifest language: COS output, text rules, time-bounded tasks, overlap."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from livesnap_reconcile.core.expansion import StreamExpansion
from livesnap_reconcile.vendors.manifest_rules import ManifestRules, Path, Problem, err, required
from livesnap_reconcile.vendors.tencent import expand
from livesnap_reconcile.vendors.tencent.overlap import MAX_TENCENT_OVERLAP, tencent_spans, worst_overlap

TENCENT_NAME_BYTES = 255
TENCENT_DESCRIPTION_BYTES = 1024
_TENCENT_TEXT = re.compile(r"^[A-Za-z0-9_\-\u4e00-\u9fff]*$")


class TencentRules(ManifestRules):
    vendor = "tencent"
    word = "Tencent"
    interval = (2, 300)
    template_only = ("width", "height", "porn_flag", "description", "cos")
    stream_only = ("domain", "app", "stream")
    default_region = expand.DEFAULT_REGION

    def template_attributes(self, spec: Mapping[str, Any], *, remote_name: str, region: str) -> dict[str, Any]:
        return expand.template_attributes(spec, remote_name=remote_name, region=region)

    def expand_stream(self, stream_name: str, stream: Mapping[str, Any], *, namespace: str,
                      now: int) -> StreamExpansion:
        return expand.expand_tencent_stream(stream_name, stream, now=now)

    def check_template(self, template: Mapping[str, Any], path: Path, remote_name: str | None) -> Iterator[Problem]:
        yield from required(template, path, ("cos",), "Tencent templates store snapshots in COS")
        description = template.get("description")
        if isinstance(description, str):
            if len(description.encode()) > TENCENT_DESCRIPTION_BYTES:
                yield err((*path, "description"), f"description must be at most {TENCENT_DESCRIPTION_BYTES} bytes")
            if not _TENCENT_TEXT.match(description):
                yield err((*path, "description"), "description may contain only letters, digits, Chinese "
                          "characters, '_' and '-' (a Tencent rule)")
        cos = template.get("cos")
        if isinstance(cos, Mapping) and isinstance(cos.get("bucket"), str) and isinstance(cos.get("app_id"), int):
            suffix = f"-{cos['app_id']}"
            if cos["bucket"].endswith(suffix):
                yield err((*path, "cos", "bucket"), f"cos.bucket must not include the {suffix!r} app id suffix; "
                          f"write {cos['bucket'][: -len(suffix)]!r}")
        if remote_name and (len(remote_name.encode()) > TENCENT_NAME_BYTES
                            or not re.match(r"^[A-Za-z0-9_-]+$", remote_name)):
            yield err(path, f"remote template name {remote_name!r} must be at most {TENCENT_NAME_BYTES} bytes of "
                      "letters, digits, '_' and '-'", on_key=True)

    def check_template_id(self, ref: Mapping[str, Any], path: Path) -> Iterator[Problem]:
        if isinstance(ref.get("id"), str):
            yield err((*path, "template", "id"), "Tencent template ids are integers (e.g. {id: 12345})")

    def check_snapshot(self, snap: Mapping[str, Any], path: Path, *, namespace: str | None,
                       stream: str, name: str) -> Iterator[Problem]:
        if "window" not in snap and "schedule" not in snap:
            yield err(path, "Tencent snapshots need 'window' or 'schedule' (tasks are time-bounded)", on_key=True)

    def check_snapshots(self, snapshots: Mapping[str, Any], path: Path) -> Iterator[Problem]:
        clash = worst_overlap(tencent_spans(snapshots))
        if clash:
            instant, names, trigger = clash
            yield err((*path, "snapshots", trigger), f"more than {MAX_TENCENT_OVERLAP} snapshots overlap on this "
                      f"Tencent stream at {instant:%Y-%m-%dT%H:%MZ} ({', '.join(names)}); Tencent runs at most "
                      f"{MAX_TENCENT_OVERLAP} tasks per stream at once", on_key=True)
