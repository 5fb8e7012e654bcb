"""Long-lived Tencent Cloud keys: the environment and the ``~/.tencentcloud/credentials`` file.

Owns: ``TENCENTCLOUD_SECRET_ID``/``TENCENTCLOUD_SECRET_KEY`` with an optional token from
``TENCENTCLOUD_TOKEN`` (or ``TENCENTCLOUD_SESSION_TOKEN``), and the INI file (or
``TENCENTCLOUD_CREDENTIALS_FILE``), section ``[default]`` or the manifest ``profile:``, keys
``secret_id``/``secret_key`` (+ optional ``token`` and ``role_arn``), surrounding quotes stripped.
Must not log or raise with a secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from livesnap_reconcile.providers.credentials_common import Credentials, clean, read_ini

ENV_ID = "TENCENTCLOUD_SECRET_ID"
ENV_KEY = "TENCENTCLOUD_SECRET_KEY"
ENV_TOKENS = ("TENCENTCLOUD_TOKEN", "TENCENTCLOUD_SESSION_TOKEN")


def from_env(env: Mapping[str, str]) -> Credentials | None:
    key_id, secret = clean(env.get(ENV_ID)), clean(env.get(ENV_KEY))
    if not (key_id and secret):
        return None
    token = next((clean(env.get(n)) for n in ENV_TOKENS if clean(env.get(n))), None)
    return Credentials(key_id, secret, token, source="env")


def file_path(env: Mapping[str, str], home: Path) -> Path:
    return Path(clean(env.get("TENCENTCLOUD_CREDENTIALS_FILE")) or home / ".tencentcloud" / "credentials")


def from_file(path: Path, section: str, *, provider: str) -> tuple[Credentials, str] | None:
    """(credentials, role ARN or "") from the section, or None when it has no keys."""
    parser = read_ini(path, provider=provider)
    if parser is None or not parser.has_section(section):
        return None
    values = parser[section]
    key_id = clean(values.get("secret_id"), strip_quotes=True)
    secret = clean(values.get("secret_key"), strip_quotes=True)
    token = clean(values.get("token"), strip_quotes=True) or None
    if not (key_id and secret):
        return None
    return Credentials(key_id, secret, token, source=f"{path} [{section}]"), clean(values.get("role_arn"), strip_quotes=True)
