"""The one exception tree of livesnap.

Lower layers translate what they catch (YAML, jsonschema, httpx, vendor envelopes) into these
classes exactly once, at their edge; the CLI maps the tree to messages and exit codes once. No
message built here may contain a credential: callers pass codes, ids and truncated bodies only.
"""

from __future__ import annotations


class LivesnapError(Exception):
    """Base of every error livesnap reports to a user."""


class ManifestError(LivesnapError):
    """The manifest cannot be loaded or is invalid. ``diagnostics`` lists every problem found."""

    def __init__(self, message: str, diagnostics: list | None = None) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics or []


class PlanFileError(LivesnapError):
    """A saved plan is corrupt, edited, from a newer format or for other manifests."""


class GuardError(LivesnapError):
    """A plan would delete, replace or stop a protected object."""


# --- state -----------------------------------------------------------------------------------


class StateError(LivesnapError):
    """The state file cannot be used."""


class StateReadOnly(StateError):
    """The state's directory cannot be written: not even its lock file can be made."""


class StateLocked(StateError):
    """Another process holds the state lock."""

    def __init__(self, message: str, lock_info: dict | None = None) -> None:
        super().__init__(message)
        self.lock_info = lock_info or {}


class StateStale(StateError):
    """A saved plan no longer matches the state it was made against."""


class StateCorrupt(StateError):
    """The state file is unreadable, from a newer format or from another lineage."""


# --- providers -------------------------------------------------------------------------------


class ProviderError(LivesnapError):
    """A vendor call failed. ``code`` and ``request_id`` come from the vendor when it answered."""

    def __init__(
        self,
        message: str,
        *,
        provider: str = "",
        code: str = "",
        request_id: str = "",
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.provider = provider
        self.code = code
        self.request_id = request_id
        self.status = status

    def __str__(self) -> str:
        parts = [super().__str__()]
        if self.code and self.code not in parts[0]:
            parts.append(f"[{self.code}]")
        if self.request_id:
            parts.append(f"(RequestId {self.request_id})")
        return " ".join(parts)


class Retryable(ProviderError):
    """Worth another attempt after a pause."""


class Throttled(Retryable):
    """The vendor asked us to slow down. ``retry_after`` is in seconds when the vendor said."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kw) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class Unavailable(Retryable):
    """5xx, InternalError, timeouts and connection errors before the request was sent."""


class UnknownOutcome(Retryable):
    """A write whose response was lost: it may or may not have happened. Never retry blindly."""


class Permanent(ProviderError):
    """Retrying will not help."""


class AuthError(Permanent):
    """Missing, wrong or expired credentials; bad signature."""


class NotFound(Permanent):
    """The remote object does not exist."""


class Invalid(Permanent):
    """The vendor refused the parameters (a business error)."""
