"""Templates and providers: manifest maps -> `ProviderConfig` and template `Resource`s.

Owns the vendor defaults that make a desired template compare equal to the same template read
back from the vendor (DESIGN.md §3; attribute shapes in `resources.py`). Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from livesnap_reconcile.manifest.expand_common import TENCENT_DEFAULT_REGION, at
from livesnap_reconcile.manifest.expand_names import remote_template_name, template_address
from livesnap_reconcile.resources import ProviderConfig, Resource

TENCENT_DEFAULT_INTERVAL = 10
TENCENT_DEFAULT_PREFIX = "/{Year}-{Month}-{Day}"
TENCENT_DEFAULT_FILE_NAME = "{StreamID}-screenshot-{Hour}-{Minute}-{Second}-{Width}x{Height}{Ext}"


def expand_providers(providers: Mapping[str, Any]) -> dict[str, ProviderConfig]:
    configs = {}
    for name in sorted(providers):
        spec = providers[name]
        with at(f"providers.{name}"):
            vendor = spec["vendor"]
            region = spec.get("region") or (TENCENT_DEFAULT_REGION if vendor == "tencent" else None)
            if vendor not in ("alibaba", "tencent"):
                raise ValueError(f"unknown vendor {vendor!r}")
            if not region:
                raise KeyError("region")
            max_rps = spec.get("max_rps")
            configs[name] = ProviderConfig(
                name=name,
                vendor=vendor,
                region=str(region),
                endpoint=spec.get("endpoint"),
                profile=spec.get("profile"),
                max_rps=float(max_rps) if max_rps is not None else None,
            )
    return configs


def expand_templates(
    templates: Mapping[str, Any], *, namespace: str, providers: Mapping[str, ProviderConfig]
) -> list[Resource]:
    resources = []
    for name in sorted(templates):
        spec = templates[name]
        with at(f"templates.{name}"):
            provider = providers[spec["provider"]]
            remote_name = remote_template_name(namespace, name)
            if provider.vendor == "alibaba":
                attributes = _alibaba_template(spec, remote_name=remote_name)
            else:
                attributes = _tencent_template(spec, remote_name=remote_name, region=provider.region)
            resources.append(
                Resource(
                    address=template_address(name),
                    kind="template",
                    provider=provider.name,
                    attributes=attributes,
                    protect=bool(spec.get("protect", False)),
                )
            )
    return resources


def _alibaba_template(spec: Mapping[str, Any], *, remote_name: str) -> dict[str, Any]:
    return {
        "name": remote_name,
        "interval": int(spec["interval"]),
        "overwrite_format": spec.get("overwrite_format"),
        "sequence_format": spec.get("sequence_format"),
    }


def _tencent_template(spec: Mapping[str, Any], *, remote_name: str, region: str) -> dict[str, Any]:
    cos = spec["cos"]
    return {
        "name": remote_name,
        "interval": int(spec.get("interval", TENCENT_DEFAULT_INTERVAL)),
        "width": int(spec.get("width", 0)),
        "height": int(spec.get("height", 0)),
        "porn_flag": int(spec.get("porn_flag", 0)),
        "cos_app_id": int(cos["app_id"]),
        "cos_bucket": str(cos["bucket"]),
        # The bucket usually lives beside the live service; the vendor requires a region.
        "cos_region": str(cos.get("region") or region),
        # The vendor fills these defaults in when they are omitted, so say them explicitly.
        "cos_prefix": _or_default(cos.get("prefix"), TENCENT_DEFAULT_PREFIX),
        "cos_file_name": _or_default(cos.get("file_name"), TENCENT_DEFAULT_FILE_NAME),
        "description": str(spec.get("description", "")),
    }


def _or_default(value: Any, default: str) -> str:
    return default if value is None else str(value)
