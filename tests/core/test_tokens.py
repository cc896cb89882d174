"""Login tokens: tampered, expired, or signed with another secret are all 401; deactivation applies at once."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import jwt
from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.core.security import TokenClaims, TokenCodec
from kitchenasty.services import Services
from tests.factories import bearer, make_staff


async def me(client: AsyncTestClient[Litestar], token: str) -> tuple[int, dict[str, object]]:
    response = await client.get("/api/auth/me", headers=bearer(token))
    return response.status_code, response.json()


async def test_valid_token_is_accepted(client: AsyncTestClient[Litestar], services: Services) -> None:
    user = await make_staff(services, "MANAGER")
    status, body = await me(client, services.auth.issue("staff", user))
    assert status == 200
    assert body["data"]["user"]["id"] == user.id  # type: ignore[index]


async def test_tampered_token_is_401(client: AsyncTestClient[Litestar], services: Services) -> None:
    user = await make_staff(services, "STAFF")
    token = services.auth.issue("staff", user)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "SUPER_ADMIN"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    status, body = await me(client, f"{header}.{forged}.{signature}")
    assert status == 401
    assert body == {"success": False, "error": "Invalid or expired token", "code": "INVALID_TOKEN"}
    admin_only = await client.get("/api/staff", headers=bearer(f"{header}.{forged}.{signature}"))
    assert admin_only.status_code == 401


async def test_expired_token_is_401(client: AsyncTestClient[Litestar], services: Services) -> None:
    user = await make_staff(services)
    codec = TokenCodec(services.boot.secret_key or "", timedelta(hours=1))
    old = codec.encode(
        TokenClaims(id=user.id, email=user.email, type="staff", role="STAFF"),
        now=datetime.now(UTC) - timedelta(hours=2),
    )
    status, _ = await me(client, old)
    assert status == 401


async def test_token_signed_with_another_secret_is_401(client: AsyncTestClient[Litestar], services: Services) -> None:
    user = await make_staff(services)
    other = TokenCodec("another-secret-key-that-is-long-enough-1234", timedelta(hours=1))
    status, _ = await me(client, other.encode(TokenClaims(id=user.id, email=user.email, type="staff", role="STAFF")))
    assert status == 401


async def test_none_algorithm_token_is_401(client: AsyncTestClient[Litestar], services: Services) -> None:
    user = await make_staff(services, "SUPER_ADMIN")
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    payload = (
        base64.urlsafe_b64encode(
            json.dumps(
                {
                    "id": user.id,
                    "email": user.email,
                    "type": "staff",
                    "role": "SUPER_ADMIN",
                    "iat": int(datetime.now(UTC).timestamp()),
                    "exp": int(datetime.now(UTC).timestamp()) + 3600,
                }
            ).encode()
        )
        .rstrip(b"=")
        .decode()
    )
    status, _ = await me(client, f"{header}.{payload}.")
    assert status == 401


async def test_malformed_authorization_header_is_401_not_anonymous(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/api/auth/me", headers={"Authorization": "Token abc"})
    assert response.status_code == 401
    assert response.json()["code"] == "INVALID_TOKEN"


async def test_deactivated_staff_token_stops_working_at_once(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    admin = await make_staff(services, "SUPER_ADMIN")
    cook = await make_staff(services, "STAFF")
    cook_token = services.auth.issue("staff", cook)
    assert (await me(client, cook_token))[0] == 200
    deactivated = await client.delete(f"/api/staff/{cook.id}", headers=bearer(services.auth.issue("staff", admin)))
    assert deactivated.status_code == 200
    status, body = await me(client, cook_token)
    assert status == 401
    assert body["code"] == "ACCOUNT_INACTIVE"


async def test_role_change_applies_to_an_existing_token(client: AsyncTestClient[Litestar], services: Services) -> None:
    admin = await make_staff(services, "SUPER_ADMIN")
    cook = await make_staff(services, "STAFF")
    cook_token = services.auth.issue("staff", cook)
    assert (await client.get("/api/staff", headers=bearer(cook_token))).status_code == 403
    promoted = await client.patch(
        f"/api/staff/{cook.id}", headers=bearer(services.auth.issue("staff", admin)), json={"role": "MANAGER"}
    )
    assert promoted.status_code == 200
    assert (await client.get("/api/staff", headers=bearer(cook_token))).status_code == 200


async def test_cookie_token_authenticates(client: AsyncTestClient[Litestar], services: Services) -> None:
    user = await make_staff(services, "MANAGER")
    client.cookies.set("kitchenasty_token", services.auth.issue("staff", user))
    response = await client.get("/api/auth/me")
    assert response.status_code == 200
    logout = await client.post("/api/auth/logout")
    assert "Max-Age=0" in logout.headers["set-cookie"]


async def test_token_without_a_session_is_401(client: AsyncTestClient[Litestar], services: Services) -> None:
    """Tokens from before sessions (no `sid`/`ver`) cannot be checked for revocation, so they are refused."""
    user = await make_staff(services, "SUPER_ADMIN")
    now = int(datetime.now(UTC).timestamp())
    payload = {"id": user.id, "email": user.email, "type": "staff", "role": "SUPER_ADMIN", "iat": now, "exp": now + 60}
    legacy = jwt.encode(payload, services.boot.secret_key or "", algorithm="HS256")
    status, body = await me(client, legacy)
    assert status == 401
    assert body["code"] == "INVALID_TOKEN"
