"""Who is calling, and composable guards: optional auth, authenticated, staff, role(...).

A token comes from `Authorization: Bearer`, else the httpOnly auth cookie, else (WebSockets only) `?token=`.
Staff tokens are re-checked against the account (active flag and current role) through the app's
`PrincipalVerifier`, so a deactivated cook is locked out at once and a role change applies to existing tokens.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeAlias

from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.handlers.base import BaseRouteHandler

from kitchenasty.core.errors import Forbidden, RateLimited, Unauthorized
from kitchenasty.core.ratelimit import SlidingWindowLimiter
from kitchenasty.core.security import AUTH_COOKIE, Principal, Role, TokenClaims, TokenCodec

_STATE_KEY = "kitchenasty_principal"


CurrentPrincipal: TypeAlias = NamedDependency[Principal]
"""Route parameter: the caller on a guarded route (the guard has ensured there is one)."""
MaybePrincipal: TypeAlias = NamedDependency[Principal | None]
"""Route parameter: the caller or None (optional-auth routes)."""


class PrincipalVerifier(Protocol):
    async def verify(self, claims: TokenClaims) -> Principal | None:
        """The current principal for valid claims, or None if the account is gone or deactivated."""


def token_from(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    header = connection.headers.get("authorization")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
        return header  # present but malformed: treated as a bad token, never silently as anonymous
    cookie = connection.cookies.get(AUTH_COOKIE)
    if cookie:
        return cookie
    if connection.scope["type"] == "websocket":
        return connection.query_params.get("token") or None
    return None


async def resolve_principal(connection: ASGIConnection[Any, Any, Any, Any], *, strict: bool) -> Principal | None:
    """The caller, or None when anonymous. With `strict`, a bad token raises 401; otherwise it is ignored."""
    state = connection.scope.setdefault("state", {})
    if _STATE_KEY in state:
        cached = state[_STATE_KEY]
        if isinstance(cached, Unauthorized):
            if strict:
                raise cached
            return None
        return cached
    token = token_from(connection)
    principal: Principal | None = None
    if token is not None:
        app_state = connection.app.state
        codec: TokenCodec = app_state.tokens
        verifier: PrincipalVerifier = app_state.principals
        try:
            claims = codec.decode(token)
            principal = await verifier.verify(claims)
            if principal is None:
                raise Unauthorized("Account is not active", code="ACCOUNT_INACTIVE")
        except Unauthorized as exc:
            state[_STATE_KEY] = exc
            if strict:
                raise
            return None
    state[_STATE_KEY] = principal
    return principal


async def provide_principal(request: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    """Dependency `principal`: the caller or None (guards have already refused callers they do not allow)."""
    return await resolve_principal(request, strict=False)


Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]


async def authenticated(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    if await resolve_principal(connection, strict=True) is None:
        raise Unauthorized("Authentication required", code="AUTH_REQUIRED")


async def customer_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    principal = await resolve_principal(connection, strict=True)
    if principal is None:
        raise Unauthorized("Authentication required", code="AUTH_REQUIRED")
    if not principal.is_customer:
        raise Forbidden("Customer account required", code="CUSTOMER_REQUIRED")


async def staff_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    principal = await resolve_principal(connection, strict=True)
    if principal is None:
        raise Unauthorized("Authentication required", code="AUTH_REQUIRED")
    if not principal.is_staff:
        raise Forbidden("Staff access required", code="STAFF_REQUIRED")


def role(*roles: Role) -> Guard:
    """Staff with one of `roles` (implies staff)."""
    allowed = frozenset(roles)

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        await staff_only(connection, handler)
        principal = await resolve_principal(connection, strict=True)
        if principal is None or principal.role not in allowed:
            raise Forbidden("Insufficient permissions", code="INSUFFICIENT_ROLE")

    guard.__qualname__ = f"role({', '.join(roles)})"
    return guard


SUPER_ADMIN: Role = "SUPER_ADMIN"
MANAGER: Role = "MANAGER"
STAFF: Role = "STAFF"
admin_only = role(SUPER_ADMIN)
manager_or_admin = role(SUPER_ADMIN, MANAGER)


RateLimitCheck = Callable[[], Awaitable[bool]]


def rate_limited(bucket: str) -> Guard:
    """Refuse with 429 when the client exceeds the limiter registered under `bucket` in `app.state.limiters`."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        enabled: RateLimitCheck | None = getattr(connection.app.state, "rate_limiting_enabled", None)
        if enabled is not None and not await enabled():
            return
        limiter: SlidingWindowLimiter = connection.app.state.limiters[bucket]
        client = connection.client.host if connection.client else "unknown"
        wait = limiter.hit(f"{bucket}:{client}")
        if wait:
            raise RateLimited("Too many attempts, please try again later.", retry_after=wait)

    guard.__qualname__ = f"rate_limited({bucket})"
    return guard
