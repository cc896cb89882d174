"""Staff invitations: single use, 7-day expiry, token stored hashed; staff management rules."""

from __future__ import annotations

from datetime import timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, update

from kitchenasty.core.outbox import OutboxMessage
from kitchenasty.core.schema import utcnow
from kitchenasty.core.security import hash_token
from kitchenasty.services import Services
from kitchenasty.staff.models import StaffInvite, StaffUser
from tests.factories import PASSWORD, bearer, make_staff, staff_headers


async def invite(
    client: AsyncTestClient[Litestar], services: Services, email: str = "new.cook@example.com", role: str = "STAFF"
) -> dict[str, str]:
    headers = await staff_headers(services, "SUPER_ADMIN")
    response = await client.post("/api/staff/invite", headers=headers, json={"email": email, "role": role})
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def staff_count(services: Services) -> int:
    async with services.db.session() as session:
        return await session.scalar(select(func.count()).select_from(StaffUser)) or 0


async def test_invite_is_stored_hashed_and_accepted_once(client: AsyncTestClient[Litestar], services: Services) -> None:
    data = await invite(client, services, role="MANAGER")
    token = data["token"]
    assert data["acceptUrl"].endswith(f"/staff/accept-invite?token={token}")
    async with services.db.session() as session:
        stored = await session.scalar(select(StaffInvite))
    assert stored is not None
    assert stored.token_hash == hash_token(token)
    assert token not in (stored.token_hash, stored.email)

    check = await client.get(f"/api/staff/invite/{token}")
    assert check.json()["data"] == {"email": "new.cook@example.com", "role": "MANAGER", "name": None}
    accepted = await client.post("/api/staff/accept-invite", json={"token": token, "name": "Nia", "password": PASSWORD})
    assert accepted.status_code == 201
    assert accepted.json()["data"]["user"]["role"] == "MANAGER"
    login = await client.post("/api/auth/staff/login", json={"email": "new.cook@example.com", "password": PASSWORD})
    assert login.status_code == 200

    before = await staff_count(services)
    again = await client.post("/api/staff/accept-invite", json={"token": token, "name": "Eve", "password": PASSWORD})
    assert again.status_code == 400
    assert again.json()["code"] == "INVITE_USED"
    assert (await client.get(f"/api/staff/invite/{token}")).json()["code"] == "INVITE_USED"
    assert await staff_count(services) == before


async def test_expired_invite_is_refused_and_creates_nobody(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    token = (await invite(client, services))["token"]
    async with services.db.transaction() as session:
        await session.execute(update(StaffInvite).values(expires_at=utcnow() - timedelta(seconds=1)))
    before = await staff_count(services)
    response = await client.post(
        "/api/staff/accept-invite", json={"token": token, "name": "Late", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert response.json() == {"success": False, "error": "This invite has expired", "code": "INVITE_EXPIRED"}
    assert await staff_count(services) == before


async def test_unknown_invite_token_is_404(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/api/staff/invite/" + "0" * 64)
    assert response.status_code == 404
    assert response.json()["code"] == "INVITE_INVALID"


async def test_invite_for_existing_staff_email_is_409(client: AsyncTestClient[Litestar], services: Services) -> None:
    await make_staff(services, email="taken@example.com")
    headers = await staff_headers(services, "SUPER_ADMIN")
    response = await client.post("/api/staff/invite", headers=headers, json={"email": "Taken@example.com"})
    assert response.status_code == 409


async def test_invite_mail_is_queued_in_the_outbox_when_mail_is_configured(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    await client.put("/api/settings/mail", headers=admin, json={"smtpHost": "127.0.0.1"})
    data = await invite(client, services, email="mailme@example.com")
    async with services.db.session() as session:
        messages = (await session.scalars(select(OutboxMessage))).all()
    assert [m.recipient for m in messages] == ["mailme@example.com"]
    assert data["token"] in (messages[0].body or "")
    assert messages[0].source == "builtin:staff_invitation"


async def test_admin_cannot_demote_or_deactivate_self_or_the_last_admin(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    admin = await make_staff(services, "SUPER_ADMIN")
    headers = bearer(services.auth.issue("staff", admin))
    own_role = await client.patch(f"/api/staff/{admin.id}", headers=headers, json={"role": "STAFF"})
    assert own_role.json()["code"] == "OWN_ROLE"
    own = await client.delete(f"/api/staff/{admin.id}", headers=headers)
    assert own.json()["code"] == "OWN_ACCOUNT"
    other = await make_staff(services, "SUPER_ADMIN")
    other_headers = bearer(services.auth.issue("staff", other))
    deactivated = await client.delete(f"/api/staff/{admin.id}", headers=other_headers)
    assert deactivated.json() == {"success": True, "message": "Staff member deactivated"}
    last = await client.patch(f"/api/staff/{other.id}", headers=headers, json={"role": "STAFF"})
    assert last.status_code == 401  # the deactivated admin's token no longer works
    manager = await make_staff(services, "MANAGER")
    demote = await client.patch(f"/api/staff/{manager.id}", headers=other_headers, json={"role": "STAFF"})
    assert demote.status_code == 200
    assert demote.json()["data"]["role"] == "STAFF"


async def test_staff_list_filters_and_paginates(client: AsyncTestClient[Litestar], services: Services) -> None:
    for _ in range(3):
        await make_staff(services, "STAFF")
    await make_staff(services, "MANAGER", email="boss@example.com", name="Big Boss")
    headers = await staff_headers(services, "MANAGER")
    page = (await client.get("/api/staff?limit=2&page=1&role=STAFF", headers=headers)).json()
    assert page["pagination"] == {"page": 1, "limit": 2, "total": 3, "totalPages": 2}
    assert all(s["role"] == "STAFF" for s in page["data"])
    found = (await client.get("/api/staff?search=boss", headers=headers)).json()["data"]
    assert [s["email"] for s in found] == ["boss@example.com"]
    too_big = await client.get("/api/staff?limit=1000", headers=headers)
    assert too_big.status_code == 400
