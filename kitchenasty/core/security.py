"""Passwords (argon2), login tokens (JWT HS256) and one-time tokens (random, stored as SHA-256).

A login token names its session (`sid`, random per login, kept when the token is renewed) and carries the
principal's token version (`ver`): logout ends one session, bumping the version (password change, reset,
deactivation) ends them all. The server checks both on every request and socket join.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

import jwt
import msgspec
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kitchenasty.core.errors import Unauthorized
from kitchenasty.core.events import DomainEvent

PrincipalType = Literal["staff", "customer"]
Role = Literal["SUPER_ADMIN", "MANAGER", "STAFF"]
ROLES: tuple[Role, ...] = ("SUPER_ADMIN", "MANAGER", "STAFF")
JWT_ALGORITHM = "HS256"
AUTH_COOKIE = "kitchenasty_token"

# Moderate argon2id cost: ~20 ms per hash on a 2-core box; the defaults (64 MiB, t=3) cost ~60 ms.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verifying against this keeps "unknown e-mail" as slow as "wrong password" (no account enumeration by timing).
_DUMMY_HASH = _hasher.hash("kitchenasty-timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def generate_secret(nbytes: int = 48) -> str:
    return secrets.token_urlsafe(nbytes)


def new_one_time_token() -> tuple[str, str]:
    """A token to hand out (64 hex characters) and the hash to store; the raw token is never stored."""
    token = secrets.token_hex(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def constant_time_equals(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


class Principal(msgspec.Struct, frozen=True):
    """Who is calling: a staff member (with their current role) or a customer."""

    id: str
    email: str
    type: PrincipalType
    role: Role | None = None
    session: str = ""
    """The login session the caller's token names (empty for principals not built from a token)."""

    @property
    def is_staff(self) -> bool:
        return self.type == "staff"

    @property
    def is_customer(self) -> bool:
        return self.type == "customer"


class SessionsEnded(DomainEvent, frozen=True):
    """In-process: one session (`session_id`) or every session (`session_id` None) of a principal has ended; the
    session caches drop it and its open sockets close. Raised by whoever owns the principal's table."""

    name = "auth.sessionsEnded"
    principal_type: str
    principal_id: str
    session_id: str | None = None


def as_role(value: str) -> Role:
    """A role read back from the database (every write checks it is one of `ROLES`)."""
    for role in ROLES:
        if value == role:
            return role
    raise ValueError(f"not a role: {value!r}")


def new_session_id() -> str:
    return secrets.token_urlsafe(16)


@dataclass(frozen=True)
class TokenClaims:
    id: str
    email: str
    type: PrincipalType
    role: Role | None = None
    session: str = ""
    """The login session (`sid`); `encode` starts a new one when empty."""
    version: int = 0
    """The principal's token version (`ver`) when the token was issued."""
    issued_at: int = 0
    expires_at: int = 0


VERIFIED_TOKENS_KEPT = 1024
"""Tokens whose signature and claims were checked, remembered until they expire: a kitchen tablet or the back
office sends the same token with every request, and PyJWT's decode was ~6% of a status change."""


class TokenCodec:
    def __init__(self, secret: str, expiry: timedelta) -> None:
        if not secret:
            raise ValueError("a secret key is required to sign tokens")
        self._secret = secret
        self.expiry = expiry
        self._verified: dict[str, TokenClaims] = {}

    def encode(self, claims: TokenClaims, *, now: datetime | None = None) -> str:
        issued = now or datetime.now(UTC)
        payload: dict[str, object] = {
            "id": claims.id,
            "email": claims.email,
            "type": claims.type,
            "sid": claims.session or new_session_id(),
            "ver": claims.version,
            "iat": int(issued.timestamp()),
            "exp": int((issued + self.expiry).timestamp()),
        }
        if claims.role is not None:
            payload["role"] = claims.role
        return jwt.encode(payload, self._secret, algorithm=JWT_ALGORITHM)

    def needs_renewal(self, claims: TokenClaims, *, now: datetime | None = None) -> bool:
        """Past half its lifetime: a request made with it gets a fresh token for the same session (sliding)."""
        moment = (now or datetime.now(UTC)).timestamp()
        return moment - claims.issued_at >= self.expiry.total_seconds() / 2

    def renew(self, claims: TokenClaims) -> str:
        """A fresh token for the same session and version; only for claims the server has just verified."""
        return self.encode(claims)

    def decode(self, token: str) -> TokenClaims:
        """The claims of a token signed with our secret and not expired. A token verified before is not checked
        again (the signature cannot change), only its expiry; whether its principal is still active and its session
        still open is the `PrincipalVerifier`'s, on every request."""
        known = self._verified.get(token)
        if known is not None:
            if known.expires_at > time.time():
                return known
            del self._verified[token]
        claims = self._decode(token)
        if len(self._verified) >= VERIFIED_TOKENS_KEPT:
            self._verified.clear()  # rare; no iteration another thread's write could break, no LRU to keep
        self._verified[token] = claims
        return claims

    def _decode(self, token: str) -> TokenClaims:
        try:
            payload = jwt.decode(
                token,
                self._secret,
                algorithms=[JWT_ALGORITHM],
                options={"require": ["exp", "iat", "id", "type", "sid", "ver"]},
            )
        except jwt.PyJWTError:
            raise Unauthorized("Invalid or expired token", code="INVALID_TOKEN") from None
        kind = payload.get("type")
        role = payload.get("role")
        session, version = payload.get("sid"), payload.get("ver")
        if kind not in ("staff", "customer") or not isinstance(payload.get("id"), str):
            raise Unauthorized("Invalid or expired token", code="INVALID_TOKEN")
        if not isinstance(session, str) or not session or not isinstance(version, int) or isinstance(version, bool):
            raise Unauthorized("Invalid or expired token", code="INVALID_TOKEN")
        if kind == "staff" and role not in ROLES:
            raise Unauthorized("Invalid or expired token", code="INVALID_TOKEN")
        return TokenClaims(
            id=payload["id"],
            email=str(payload.get("email", "")),
            type=kind,
            role=role if kind == "staff" else None,
            session=session,
            version=version,
            issued_at=int(payload["iat"]),
            expires_at=int(payload["exp"]),
        )
