"""The sandbox's identity service: roles, the temporary keys STS hands out, and OIDC tokens.

Owns: which roles exist and who may assume them, the instance roles the metadata services serve,
temporary key triples (id, secret, session token) that expire on the sandbox *business* clock, and
the sandbox's OIDC issuer: HS256 JWTs under a published, not secret, key (`OIDC_KEY`), checked for
issuer, audience and expiry. Temporary keys live in memory only (a restarted server forgets them,
like an expired session). Vendor wire shapes are not built here (`sts.py`, `metadata.py` do that).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from livesnap_reconcile.emulator.wire import ApiError

ACCOUNT = {"alibaba": "1234567890123456", "tencent": "100000000001"}
ROLES = {
    "alibaba": ("acs:ram::1234567890123456:role/livesnap-deployer",),
    "tencent": ("qcs::cam::uin/100000000001:roleName/livesnap-deployer",),
}
INSTANCE_ROLES = {"alibaba": "livesnap-ecs", "tencent": "livesnap-cvm"}
OIDC_ISSUER = "https://oidc.sandbox.localhost"
OIDC_KEY = b"livesnap-sandbox-oidc-signing-key-published-not-secret"
OIDC_PROVIDERS = {
    "alibaba": {"acs:ram::1234567890123456:oidc-provider/livesnap-sandbox": "sts.aliyuncs.com"},
    "tencent": {"livesnap-sandbox": "sts.tencentcloudapi.com"},
}
MIN_DURATION, MAX_DURATION = 900, 43200


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def discovery() -> dict:
    """``/.well-known/openid-configuration`` of the sandbox issuer."""
    return {"issuer": OIDC_ISSUER, "jwks_uri": f"{OIDC_ISSUER}/.well-known/jwks.json",
            "id_token_signing_alg_values_supported": ["HS256"], "response_types_supported": ["id_token"],
            "subject_types_supported": ["public"]}


def jwks() -> dict:
    """The published verification key (symmetric, so anyone can also mint tokens: sandbox only)."""
    return {"keys": [{"kty": "oct", "kid": "sandbox", "alg": "HS256", "use": "sig", "k": _b64(OIDC_KEY)}]}


def mint_jwt(claims: Mapping[str, object], *, key: bytes = OIDC_KEY) -> str:
    """An HS256 JWT, as a CI system would issue (tests and `sandbox serve` use it)."""
    head = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "sandbox"}, separators=(",", ":")).encode())
    body = _b64(json.dumps(dict(claims), separators=(",", ":")).encode())
    sig = _b64(hmac.new(key, f"{head}.{body}".encode(), hashlib.sha256).digest())
    return f"{head}.{body}.{sig}"


def verify_jwt(token: str, *, issuer: str, audience: str, now: float, key: bytes = OIDC_KEY) -> dict:
    """The claims, or ValueError naming what is wrong (never echoing the token)."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise ValueError("not a JWT")
    try:
        header = json.loads(_unb64(parts[0]))
        claims = json.loads(_unb64(parts[1]))
        signature = _unb64(parts[2])
    except (ValueError, UnicodeDecodeError):
        raise ValueError("not a JWT") from None
    if not isinstance(header, dict) or header.get("alg") != "HS256" or not isinstance(claims, dict):
        raise ValueError("unsupported JWT algorithm")
    expected = hmac.new(key, f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(expected, signature):
        raise ValueError("bad signature")
    if claims.get("iss") != issuer:
        raise ValueError("issuer mismatch")
    aud = claims.get("aud")
    if audience not in (aud if isinstance(aud, list) else [aud]):
        raise ValueError("audience mismatch")
    if not isinstance(claims.get("exp"), (int, float)) or claims["exp"] <= now:
        raise ValueError("expired")
    return claims


@dataclass(frozen=True)
class TempKey:
    vendor: str
    key_id: str
    secret: str = field(repr=False)
    token: str = field(repr=False)
    expires_at: float
    role_arn: str
    session: str


class Identity:
    """Thread-safe registry; ``now`` is the sandbox business clock."""

    def __init__(self, *, now: Callable[[], float], roles: Mapping[str, Iterable[str]] | None = None) -> None:
        self._now = now
        self.roles: dict[str, set[str]] = {v: set(r) for v, r in (roles or ROLES).items()}
        self.instance_roles: dict[str, str | None] = dict(INSTANCE_ROLES)
        self.oidc_providers = {v: dict(p) for v, p in OIDC_PROVIDERS.items()}
        self._keys: dict[str, TempKey] = {}
        self._lock = threading.Lock()
        self._seq = 0
        self.issued: list[TempKey] = []

    def issue(self, vendor: str, role_arn: str, session: str, duration: object) -> TempKey:
        try:
            seconds = int(str(duration or 3600))
        except ValueError:
            raise ApiError("InvalidParameter.DurationSeconds", "DurationSeconds must be an integer.") from None
        if not MIN_DURATION <= seconds <= MAX_DURATION:
            raise ApiError("InvalidParameter.DurationSeconds", f"DurationSeconds must be {MIN_DURATION}..{MAX_DURATION}.")
        with self._lock:
            self._seq += 1
            seed = hashlib.sha256(f"{vendor}|{role_arn}|{session}|{self._seq}|{time.time_ns()}".encode()).hexdigest()
            prefix = "STS." if vendor == "alibaba" else "AKIDtmp"
            key = TempKey(vendor, f"{prefix}{seed[:20]}", f"tmpsecret-{seed[20:44]}", f"tmptoken-{seed[44:]}{self._seq}",
                          float(int(self._now()) + seconds), role_arn, session)
            self._keys[key.key_id] = key
            self.issued.append(key)
            if len(self._keys) > 10_000:
                now = self._now()
                self._keys = {k: v for k, v in self._keys.items() if v.expires_at > now}
            return key

    def secrets(self, vendor: str) -> dict[str, str]:
        with self._lock:
            return {k: v.secret for k, v in self._keys.items() if v.vendor == vendor}

    def check_session(self, vendor: str, key_id: str, token: str | None) -> TempKey | None:
        """None for a long-lived key; the temp key when its token matches and has not expired."""
        with self._lock:
            key = self._keys.get(key_id)
        if key is None:
            return None
        expired, invalid = (("InvalidSecurityToken.Expired", "InvalidSecurityToken.Mismatch") if vendor == "alibaba"
                            else ("AuthFailure.TokenFailure", "AuthFailure.TokenFailure"))
        if not token or not hmac.compare_digest(token.strip(), key.token):
            raise ApiError(invalid, "The security token is missing or does not match the access key.", status=400)
        if self._now() >= key.expires_at:
            raise ApiError(expired, "The security token has expired.", status=400)
        return key

    def assume(self, vendor: str, role_arn: str) -> None:
        if role_arn not in self.roles.get(vendor, set()):
            if vendor == "alibaba":
                raise ApiError("EntityNotExist.Role", "The specified role does not exist or may not be assumed.",
                               status=404)
            raise ApiError("ResourceNotFound.RoleNotExist", "The role does not exist or may not be assumed.")

    def check_oidc(self, vendor: str, provider: str, token: str) -> dict:
        audience = self.oidc_providers.get(vendor, {}).get(provider)
        if audience is None:
            if vendor == "alibaba":
                raise ApiError("EntityNotExist.OIDCProvider", "The OIDC provider does not exist.", status=404)
            raise ApiError("InvalidParameter.ProviderIdNotExist", "The identity provider does not exist.")
        try:
            return verify_jwt(token, issuer=OIDC_ISSUER, audience=audience, now=self._now())
        except ValueError as exc:
            if vendor == "alibaba":
                raise ApiError("AuthenticationFail.OIDCToken.Invalid", f"The OIDC token is invalid: {exc}.") from None
            raise ApiError("InvalidParameter.WebIdentityTokenError", f"The web identity token is invalid: {exc}.") from None

    def mint_oidc(self, vendor: str, *, subject: str = "repo:example/manifests:ref:refs/heads/main",
                  lifetime: int = 600, audience: str | None = None) -> str:
        aud = audience or next(iter(self.oidc_providers[vendor].values()))
        now = int(self._now())
        return mint_jwt({"iss": OIDC_ISSUER, "sub": subject, "aud": aud, "iat": now, "exp": now + lifetime})
