from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.services import Services
from tests.factories import PASSWORD, bearer, make_customer, make_staff


async def test_staff_login_returns_token_and_sets_cookie(client: AsyncTestClient[Litestar], services: Services) -> None:
    user = await make_staff(services, "MANAGER", email="chef@example.com")
    response = await client.post("/api/auth/staff/login", json={"email": "Chef@Example.com", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    assert body["data"]["user"] == {"id": user.id, "email": "chef@example.com", "name": user.name, "role": "MANAGER"}
    assert "kitchenasty_token=" in response.headers["set-cookie"]
    assert "HttpOnly" in response.headers["set-cookie"]
    me = await client.get("/api/auth/me", headers=bearer(body["data"]["token"]))
    assert me.json()["data"]["user"]["role"] == "MANAGER"


async def test_staff_login_wrong_password_is_401(client: AsyncTestClient[Litestar], services: Services) -> None:
    await make_staff(services, email="cook@example.com")
    response = await client.post("/api/auth/staff/login", json={"email": "cook@example.com", "password": "nope"})
    assert response.status_code == 401
    assert response.json() == {"success": False, "error": "Invalid credentials", "code": "INVALID_CREDENTIALS"}


async def test_customer_register_then_login(client: AsyncTestClient[Litestar], services: Services) -> None:
    response = await client.post(
        "/api/auth/customer/register", json={"email": "ana@example.com", "password": PASSWORD, "name": "Ana"}
    )
    assert response.status_code == 201
    again = await client.post(
        "/api/auth/customer/register", json={"email": "ANA@example.com", "password": PASSWORD, "name": "Ana"}
    )
    assert again.status_code == 409
    assert again.json()["code"] == "EMAIL_TAKEN"
    login = await client.post("/api/auth/customer/login", json={"email": "ana@example.com", "password": PASSWORD})
    assert login.status_code == 200
    assert login.json()["data"]["customer"]["email"] == "ana@example.com"


async def test_customer_token_is_refused_on_staff_route(client: AsyncTestClient[Litestar], services: Services) -> None:
    customer = await make_customer(services)
    response = await client.get("/api/staff", headers=bearer(services.auth.issue("customer", customer)))
    assert response.status_code == 403
    assert response.json()["code"] == "STAFF_REQUIRED"
