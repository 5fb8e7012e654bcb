"""Where Alibaba Cloud credentials come from (never from a manifest).

Order: env ``ALIBABA_CLOUD_ACCESS_KEY_ID``/``ALIBABA_CLOUD_ACCESS_KEY_SECRET`` (+ optional
``ALIBABA_CLOUD_SECURITY_TOKEN``); then the aliyun CLI file ``~/.aliyun/config.json`` (modes ``AK``
and ``StsToken``; profile from the manifest, else ``ALIBABA_CLOUD_PROFILE``, else ``current``;
skipped when ``ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true``); then ``~/.alibabacloud/credentials.ini``
(or ``ALIBABA_CLOUD_CREDENTIALS_FILE``; section = profile, else ``default``; ``type = access_key``).
A manifest ``profile:`` skips the environment keys: the user asked for that profile.
Must not log or raise with a secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from livesnap_reconcile.errors import AuthError
from livesnap_reconcile.providers.credentials_common import Credentials, clean, missing, read_ini, read_json

ENV_ID = "ALIBABA_CLOUD_ACCESS_KEY_ID"
ENV_SECRET = "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
ENV_TOKEN = "ALIBABA_CLOUD_SECURITY_TOKEN"


def resolve(*, provider: str, profile: str | None, env: Mapping[str, str], home: Path) -> Credentials:
    tried: list[str] = []
    if not profile:
        tried.append(f"env {ENV_ID}/{ENV_SECRET}")
        key_id, secret = clean(env.get(ENV_ID)), clean(env.get(ENV_SECRET))
        if key_id and secret:
            return Credentials(key_id, secret, clean(env.get(ENV_TOKEN)) or None, source="env")
    cli_disabled = clean(env.get("ALIBABA_CLOUD_CLI_PROFILE_DISABLED")).lower() == "true"
    if not cli_disabled:
        cli_path = home / ".aliyun" / "config.json"
        tried.append(str(cli_path))
        found = _from_cli(cli_path, profile or clean(env.get("ALIBABA_CLOUD_PROFILE")) or None, provider=provider)
        if found:
            return found
    ini_path = Path(clean(env.get("ALIBABA_CLOUD_CREDENTIALS_FILE")) or home / ".alibabacloud" / "credentials.ini")
    section = profile or clean(env.get("ALIBABA_CLOUD_PROFILE")) or "default"
    tried.append(f"{ini_path} [{section}]")
    found = _from_ini(ini_path, section, provider=provider)
    if found:
        return found
    raise missing(provider, "alibaba", tried)


def _from_cli(path: Path, profile: str | None, *, provider: str) -> Credentials | None:
    data = read_json(path, provider=provider)
    if not isinstance(data, dict):
        return None
    name = profile or clean(str(data.get("current") or "")) or "default"
    profiles = data.get("profiles") or []
    entry = next((p for p in profiles if isinstance(p, dict) and p.get("name") == name), None)
    if entry is None:
        return None
    mode = str(entry.get("mode") or "AK")
    key_id, secret = clean(entry.get("access_key_id")), clean(entry.get("access_key_secret"))
    if mode == "AK" and key_id and secret:
        return Credentials(key_id, secret, None, source=f"{path} profile {name}")
    if mode == "StsToken" and key_id and secret and clean(entry.get("sts_token")):
        return Credentials(key_id, secret, clean(entry.get("sts_token")), source=f"{path} profile {name}")
    if mode not in ("AK", "StsToken"):
        raise AuthError(
            f"provider {provider!r}: aliyun profile {name!r} uses mode {mode!r}; only AK and StsToken are supported",
            provider=provider,
        )
    return None


def _from_ini(path: Path, section: str, *, provider: str) -> Credentials | None:
    parser = read_ini(path, provider=provider)
    if parser is None or not parser.has_section(section):
        return None
    values = parser[section]
    kind = clean(values.get("type"), strip_quotes=True) or "access_key"
    key_id = clean(values.get("access_key_id"), strip_quotes=True)
    secret = clean(values.get("access_key_secret"), strip_quotes=True)
    if kind == "access_key" and key_id and secret:
        return Credentials(key_id, secret, None, source=f"{path} [{section}]")
    return None
