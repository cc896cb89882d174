"""Token lifetime: 12 hours by default, renewed while in use. A cookie past half its lifetime gets a fresh cookie;
a Bearer token past half its lifetime gets a fresh token in `X-Renewed-Token`. Renewal keeps the session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie

from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.core.config import BootSettings
from kitchenasty.core.security import AUTH_COOKIE, TokenClaims
from kitchenasty.services import Services
from kitchenasty.staff.models import StaffUser
from tests.factories import bearer, make_staff


def aged_token(services: Services, user: StaffUser, hours: float) -> str:
    """A login token for `user` issued `hours` ago."""
    claims = TokenClaims(id=user.id, email=user.email, type="staff", role=user.role, version=user.token_version)  # type: ignore[arg-type]
    return services.tokens.encode(claims, now=datetime.now(UTC) - timedelta(hours=hours))


def set_cookie_token(set_cookie: str) -> tuple[str, int]:
    jar: SimpleCookie = SimpleCookie()
    jar.load(set_cookie)
    morsel = jar[AUTH_COOKIE]
    return morsel.value, int(morsel["max-age"])


def test_default_token_lifetime_is_12_hours(boot: BootSettings) -> None:
    assert boot.jwt_expiry_hours == 12


async def test_cookie_past_half_life_gets_a_fresh_cookie_for_the_same_session(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    cook = await make_staff(services)
    old = aged_token(services, cook, 7)
    client.cookies.set(AUTH_COOKIE, old)
    response = await client.get("/api/auth/me")
    assert response.status_code == 200
    fresh, max_age = set_cookie_token(response.headers["set-cookie"])
    assert max_age == 12 * 3600
    old_claims, new_claims = services.tokens.decode(old), services.tokens.decode(fresh)
    assert new_claims.session == old_claims.session
    assert new_claims.expires_at - old_claims.expires_at >= 6 * 3600
    assert "x-renewed-token" not in response.headers
    # logging out with the renewed token ends the session, so the old token dies with it
    client.cookies.set(AUTH_COOKIE, fresh)
    assert (await client.post("/api/auth/logout")).status_code == 200
    assert (await client.get("/api/auth/me", headers=bearer(old))).json()["code"] == "SESSION_ENDED"


async def test_bearer_past_half_life_gets_a_renewed_token_header(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    cook = await make_staff(services)
    response = await client.get("/api/orders", headers=bearer(aged_token(services, cook, 6.5)))
    assert response.status_code == 200
    renewed = response.headers["x-renewed-token"]
    assert "set-cookie" not in response.headers
    assert (await client.get("/api/auth/me", headers=bearer(renewed))).status_code == 200


async def test_young_token_is_not_renewed(client: AsyncTestClient[Litestar], services: Services) -> None:
    cook = await make_staff(services)
    response = await client.get("/api/auth/me", headers=bearer(aged_token(services, cook, 1)))
    assert response.status_code == 200
    assert "x-renewed-token" not in response.headers
    client.cookies.set(AUTH_COOKIE, aged_token(services, cook, 1))
    assert "set-cookie" not in (await client.get("/api/auth/me")).headers


async def test_logout_with_an_aged_cookie_only_clears_it(client: AsyncTestClient[Litestar], services: Services) -> None:
    cook = await make_staff(services)
    client.cookies.set(AUTH_COOKIE, aged_token(services, cook, 8))
    response = await client.post("/api/auth/logout")
    assert response.headers.get_list("set-cookie") == [f'{AUTH_COOKIE}=""; HttpOnly; Max-Age=0; Path=/; SameSite=lax']
    assert "x-renewed-token" not in response.headers
