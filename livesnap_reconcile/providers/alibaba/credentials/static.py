"""Long-lived Alibaba Cloud keys: the environment and the ``credentials.ini`` file.

Owns: ``ALIBABA_CLOUD_ACCESS_KEY_ID``/``ALIBABA_CLOUD_ACCESS_KEY_SECRET`` (+ optional
``ALIBABA_CLOUD_SECURITY_TOKEN``) and the INI file ``~/.alibabacloud/credentials.ini`` (or
``ALIBABA_CLOUD_CREDENTIALS_FILE``; section = profile, else ``default``). INI sections of another
``type`` are returned as raw values for the chain to turn into a role source. Must not log or raise
with a secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from livesnap_reconcile.providers.credentials_common import Credentials, clean, read_ini

ENV_ID = "ALIBABA_CLOUD_ACCESS_KEY_ID"
ENV_SECRET = "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
ENV_TOKEN = "ALIBABA_CLOUD_SECURITY_TOKEN"


def from_env(env: Mapping[str, str]) -> Credentials | None:
    key_id, secret = clean(env.get(ENV_ID)), clean(env.get(ENV_SECRET))
    if key_id and secret:
        return Credentials(key_id, secret, clean(env.get(ENV_TOKEN)) or None, source="env")
    return None


def ini_path(env: Mapping[str, str], home: Path) -> Path:
    return Path(clean(env.get("ALIBABA_CLOUD_CREDENTIALS_FILE")) or home / ".alibabacloud" / "credentials.ini")


def ini_section(path: Path, section: str, *, provider: str) -> dict[str, str] | None:
    """The section's values (quotes stripped, ``type`` defaulted), or None when absent."""
    parser = read_ini(path, provider=provider)
    if parser is None or not parser.has_section(section):
        return None
    values = {k: clean(v, strip_quotes=True) for k, v in parser[section].items()}
    values["type"] = values.get("type") or "access_key"
    return values


def ini_keys(values: Mapping[str, str], *, source: str) -> Credentials | None:
    key_id, secret = values.get("access_key_id", ""), values.get("access_key_secret", "")
    if values.get("type") == "access_key" and key_id and secret:
        return Credentials(key_id, secret, None, source=source)
    return None
