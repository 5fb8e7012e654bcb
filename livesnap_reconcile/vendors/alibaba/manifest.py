"""ICE's part of the manifest language: snapshot object name formats, name limits, job options."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from livesnap_reconcile.vendors.alibaba.jobname import job_name_prefix
from livesnap_reconcile.vendors.manifest_rules import ManifestRules, Path, Problem, err, required

if TYPE_CHECKING:
    from livesnap_reconcile.core.expansion import StreamExpansion

ICE_NAME_MAX = 128
ICE_JOB_NAME_MAX = 128
SEQUENCE_PLACEHOLDERS = ("JobId", "Date", "UnixTimestamp", "Sequence")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class AlibabaRules(ManifestRules):
    vendor = "alibaba"
    word = "Alibaba"
    interval = (5, 3600)
    template_only = ("sequence_format", "overwrite_format")
    stream_only = ("rtmp_url", "output")
    snapshot_only = ("callback_url", "status")

    def template_attributes(self, spec: Mapping[str, Any], *, remote_name: str, region: str) -> dict[str, Any]:
        from livesnap_reconcile.vendors.alibaba import expand  # expansion is not loaded to validate

        return expand.template_attributes(spec, remote_name=remote_name, region=region)

    def expand_stream(self, stream_name: str, stream: Mapping[str, Any], *, namespace: str,
                      now: int) -> StreamExpansion:
        from livesnap_reconcile.vendors.alibaba import expand

        return expand.expand_alibaba_stream(stream_name, stream, namespace=namespace, now=now)

    def check_template(self, template: Mapping[str, Any], path: Path, remote_name: str | None) -> Iterator[Problem]:
        yield from required(template, path, ("interval",), "Alibaba templates need an interval")
        yield from _formats(template, path)
        if remote_name and len(remote_name) > ICE_NAME_MAX:
            yield err(path, f"remote template name {remote_name!r} exceeds {ICE_NAME_MAX} characters", on_key=True)

    def check_snapshot(self, snap: Mapping[str, Any], path: Path, *, namespace: str | None,
                       stream: str, name: str) -> Iterator[Problem]:
        if not namespace:
            return
        job_name = f"{job_name_prefix(namespace)}{stream}/{name}/xxxxxxxx"
        if len(job_name) > ICE_JOB_NAME_MAX:
            yield err(path, f"the ICE job name {job_name_prefix(namespace)}{stream}/{name}/<digest> would be "
                      f"{len(job_name)} characters; the limit is {ICE_JOB_NAME_MAX} (shorten the stream or "
                      "snapshot name)", on_key=True)


def _formats(template: Mapping[str, Any], path: Path) -> Iterator[Problem]:
    if "sequence_format" not in template and "overwrite_format" not in template:
        yield err(path, "Alibaba templates need 'sequence_format', 'overwrite_format' or both", on_key=True)
    for key, allowed in (("overwrite_format", ("JobId",)), ("sequence_format", SEQUENCE_PLACEHOLDERS)):
        text = template.get(key)
        if isinstance(text, str):
            for message in format_problems(text, allowed=allowed, sequence=key == "sequence_format"):
                yield err((*path, key), f"{key} {message}")


def format_problems(text: str, *, allowed: tuple[str, ...], sequence: bool) -> Iterator[str]:
    """ICE's rules for snapshot object names (alibaba-ice.md §2.1)."""
    if text.startswith("/"):
        yield "must not start with '/'"
    if not text.endswith(".jpg"):
        yield "must end with '.jpg'"
    if len(text) > 255:
        yield f"must be at most 255 characters (got {len(text)})"
    used = _PLACEHOLDER.findall(text)
    for name in dict.fromkeys(used):
        if name not in allowed:
            choices = ", ".join("{" + a + "}" for a in allowed)
            yield f"uses unsupported placeholder {{{name}}} (allowed: {choices})"
    if _PLACEHOLDER.sub("", text).count("{") or _PLACEHOLDER.sub("", text).count("}"):
        yield "has an unbalanced '{' or '}'"
    if sequence and not ({"UnixTimestamp", "Sequence"} & set(used)):
        yield "must contain {UnixTimestamp} or {Sequence} so snapshots do not overwrite each other"
