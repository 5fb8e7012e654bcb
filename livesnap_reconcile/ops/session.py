"""Composition root: wires manifests, state, providers and (with --sandbox) the emulator.

Every command that talks to vendors gets a `Session` from here, so the choices "which state
file", "which endpoint", "which clock" are made in one place. Heavy modules are imported inside
functions so `livesnap --help` and `validate` stay fast.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livesnap_reconcile.clock import business_now
from livesnap_reconcile.core.progress import NullProgress, Progress
from livesnap_reconcile.errors import LivesnapError
from livesnap_reconcile.ops.options import GlobalOptions
from livesnap_reconcile.resources import DesiredState, ProviderConfig, RefreshQuery, RemoteObject


@dataclass
class Session:
    opts: GlobalOptions
    paths: list[Path]
    state_location: str | Path  # a file path or a postgresql:// URL
    sandbox_dir: Path | None
    now: Callable[[], int]
    emulator: Any = None
    providers: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # one-line notices for the user, shown after the output
    # Progress for a person watching (the CLI sets a terminal line when stderr is one): notes and counts.
    progress: Progress = field(default_factory=NullProgress)
    _backend: Any = None

    def backend(self):
        """The session's state backend, opened once (a PostgreSQL one holds a connection)."""
        if self._backend is None:
            from livesnap_reconcile.ops.state_select import open_value

            self._backend = open_value(self.state_location, self.paths)
        return self._backend

    def close(self) -> None:
        for provider in self.providers.values():
            provider.close()
        if self._backend is not None and hasattr(self._backend, "close"):
            self._backend.close()
            self._backend = None


def open_session(opts: GlobalOptions, paths: Sequence[Path], *, sandbox: bool | None = None) -> Session:
    from livesnap_reconcile.ops.state_select import state_value
    from livesnap_reconcile.state.paths import manifest_home

    paths = [Path(p) for p in paths]
    business_now()  # a malformed LIVESNAP_NOW fails here, before any work
    use_sandbox = opts.sandbox if sandbox is None else sandbox
    if use_sandbox:
        sandbox_dir = manifest_home(paths) / ".livesnap" / "sandbox"
        state_location = state_value(opts, paths, sandbox=True)
        from livesnap_reconcile.emulator import Emulator

        sandbox_dir.mkdir(parents=True, exist_ok=True)
        emulator = Emulator(data_dir=sandbox_dir, wall=business_now)
        return Session(opts, paths, state_location, sandbox_dir, lambda: int(emulator.clock.now()), emulator)
    return Session(opts, paths, state_value(opts, paths, sandbox=False), None, business_now)


def load_desired(session: Session, *, now: int):
    """(loaded manifest, desired state) or ManifestError with every diagnostic."""
    from livesnap_reconcile.core.collector import collector_paused
    from livesnap_reconcile.manifest.expand import expand
    from livesnap_reconcile.manifest.validate import load_and_validate

    session.progress.phase("load + validate")
    try:
        with collector_paused():
            loaded = load_and_validate(session.paths)
            session.progress.phase("expand")
            return loaded, expand(loaded.data, now=now)
    finally:
        session.progress.finish()


# Credential sources outlive a session: `reconcile` opens one per cycle, and a role session (or an
# instance-role credential) is good for an hour, so later cycles reuse it until it needs renewing.
_SOURCES: dict[tuple, Any] = {}
_CREDENTIAL_VARS = ("ALIBABA_CLOUD_", "TENCENTCLOUD_", "TKE_", "HOME")


def _credential_env() -> str:
    """A digest of the variables the chains read: another environment never reuses a source."""
    import hashlib
    import os

    items = sorted((k, v) for k, v in os.environ.items() if k.startswith(_CREDENTIAL_VARS))
    return hashlib.sha256(repr(items).encode()).hexdigest()


_TIME_LIMITS = {"request_deadline": "LIVESNAP_REQUEST_DEADLINE", "retry_budget": "LIVESNAP_RETRY_BUDGET"}


def time_limits() -> tuple[float, float]:
    """(request deadline, retry budget) in seconds: the defaults, or the README "Time limits" overrides."""
    import os

    from livesnap_reconcile.core.timeutil import parse_duration
    from livesnap_reconcile.providers.http import REQUEST_DEADLINE, RETRY_BUDGET

    limits = {"request_deadline": REQUEST_DEADLINE, "retry_budget": RETRY_BUDGET}
    for key, var in _TIME_LIMITS.items():
        value = os.environ.get(var, "").strip()
        if value:
            try:
                limits[key] = float(parse_duration(value))
            except ValueError as exc:
                raise LivesnapError(f"{var}: {exc}") from None
    return limits["request_deadline"], limits["retry_budget"]


def build_providers(session: Session, configs: Mapping[str, ProviderConfig]) -> dict[str, Any]:
    from livesnap_reconcile.errors import AuthError
    from livesnap_reconcile.providers import make_provider, sandbox_endpoint

    out: dict[str, Any] = {}
    missing: list[str] = []
    deadline, budget = time_limits()
    for name, config in sorted(configs.items()):
        if session.emulator is not None:
            from livesnap_reconcile.emulator import SANDBOX_KEYS

            key_id, secret = SANDBOX_KEYS[config.vendor]
            out[name] = make_provider(config, transport=session.emulator.transport(),
                                      credentials=(key_id, secret, None), endpoint=sandbox_endpoint(config),
                                      now=session.emulator.clock.now, request_deadline=deadline,
                                      retry_budget=budget)
        else:
            try:
                key = (config.name, config.vendor, config.profile, config.endpoint, _credential_env())
                out[name] = make_provider(config, now=session.now, credential_source=_SOURCES.get(key),
                                          request_deadline=deadline, retry_budget=budget)
                _SOURCES[key] = out[name].credential_source
            except AuthError as exc:  # report every provider lacking credentials, not just the first
                missing.append(str(exc))
    session.providers = out
    if missing:
        raise AuthError("\n".join(missing))
    return out


def endpoints(providers: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    return {name: (p.vendor, p.endpoint) for name, p in providers.items()}


def refresh(session: Session, desired: DesiredState, state, *, now: int) -> list[RemoteObject]:
    """Ask every provider, in parallel, for the objects state knows or the manifest wants."""
    providers = session.providers
    missing = sorted({e.provider for e in state.resources.values()} - set(providers))
    if missing:
        raise LivesnapError(f"state has objects of provider(s) {', '.join(missing)} that the manifest no longer "
                            "defines; add the provider back to let livesnap delete them, or `livesnap state rm`")

    progress = session.progress
    known = {name: state.known(name) for name in providers}

    def one(name: str) -> list[RemoteObject]:
        query = RefreshQuery(namespace=desired.namespace, known=known[name],
                             desired=tuple(r for r in desired.resources if r.provider == name), now=now,
                             progress=progress.advance)
        found = providers[name].refresh(query)
        progress.note(f"Refreshed provider {name}: {len(found)} object(s)")
        return found

    if providers:
        names = ", ".join(sorted(providers))
        progress.note(f"Refreshing {len(providers)} provider{'s' if len(providers) != 1 else ''} ({names})...")
    # The objects state knows are what the listings should find again: the ETA's estimate.
    progress.phase("refresh", total=sum(len(k) for k in known.values()) or None, unit="objects")
    try:
        with ThreadPoolExecutor(max_workers=max(1, len(providers))) as pool:
            results = list(pool.map(one, sorted(providers)))
    finally:
        progress.finish()
    return [obj for chunk in results for obj in chunk]
