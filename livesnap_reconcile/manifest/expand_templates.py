"""Templates and providers: manifest maps -> `ProviderConfig` and template `Resource`s.

Each vendor fills in the defaults that make a desired template compare equal to the same
template read back from it (DESIGN.md §3; attribute shapes in `resources.py`). Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from livesnap_reconcile.core.expansion import at
from livesnap_reconcile.core.names import remote_template_name, template_address
from livesnap_reconcile.resources import ProviderConfig, Resource
from livesnap_reconcile.vendors import rules, vendor_names
from livesnap_reconcile.vendors.template import TemplateSpec


def expand_providers(providers: Mapping[str, Any]) -> dict[str, ProviderConfig]:
    configs = {}
    for name in sorted(providers):
        spec = providers[name]
        with at(f"providers.{name}"):
            vendor = spec["vendor"]
            if vendor not in vendor_names():
                raise ValueError(f"unknown vendor {vendor!r}")
            region = spec.get("region") or rules(vendor).default_region
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
                site=spec.get("site"),
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
            attributes = rules(provider.vendor).template_attributes(spec, remote_name=remote_name,
                                                                    region=provider.region)
            resources.append(
                Resource(
                    address=template_address(name),
                    kind=TemplateSpec.kind,
                    provider=provider.name,
                    attributes=attributes,
                    protect=bool(spec.get("protect", False)),
                )
            )
    return resources
