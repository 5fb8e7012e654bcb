"""Where Tencent Cloud credentials come from (never from a manifest).

Order: env ``TENCENTCLOUD_SECRET_ID``/``TENCENTCLOUD_SECRET_KEY`` with an optional token from
``TENCENTCLOUD_TOKEN`` (or ``TENCENTCLOUD_SESSION_TOKEN``); then ``~/.tencentcloud/credentials``
(or ``TENCENTCLOUD_CREDENTIALS_FILE``), section ``[default]`` or the manifest ``profile:``, keys
``secret_id``/``secret_key`` (+ optional ``token``), surrounding quotes stripped. A manifest
``profile:`` skips the environment keys. Must not log or raise with a secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from livesnap_reconcile.providers.credentials_common import Credentials, clean, missing, read_ini

ENV_ID = "TENCENTCLOUD_SECRET_ID"
ENV_KEY = "TENCENTCLOUD_SECRET_KEY"
ENV_TOKENS = ("TENCENTCLOUD_TOKEN", "TENCENTCLOUD_SESSION_TOKEN")


def resolve(*, provider: str, profile: str | None, env: Mapping[str, str], home: Path) -> Credentials:
    tried: list[str] = []
    if not profile:
        tried.append(f"env {ENV_ID}/{ENV_KEY}")
        key_id, secret = clean(env.get(ENV_ID)), clean(env.get(ENV_KEY))
        if key_id and secret:
            token = next((clean(env.get(n)) for n in ENV_TOKENS if clean(env.get(n))), None)
            return Credentials(key_id, secret, token, source="env")
    path = Path(clean(env.get("TENCENTCLOUD_CREDENTIALS_FILE")) or home / ".tencentcloud" / "credentials")
    section = profile or "default"
    tried.append(f"{path} [{section}]")
    parser = read_ini(path, provider=provider)
    if parser is not None and parser.has_section(section):
        values = parser[section]
        key_id = clean(values.get("secret_id"), strip_quotes=True)
        secret = clean(values.get("secret_key"), strip_quotes=True)
        token = clean(values.get("token"), strip_quotes=True) or None
        if key_id and secret:
            return Credentials(key_id, secret, token, source=f"{path} [{section}]")
    raise missing(provider, "tencent", tried)
