"""Staff management for the back office (issue 13): pending invitations listed, sent again (a new link, the old one
dead) and withdrawn; role and active-flag refusals as 409 sentences; a password reset by link, never by the admin
setting it."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update

from kitchenasty.core.audit import AuditEntry
from kitchenasty.core.errors import Conflict
from kitchenasty.core.outbox import OutboxMessage
from kitchenasty.core.schema import utcnow
from kitchenasty.core.security import Principal
from kitchenasty.services import Services
from kitchenasty.staff.models import StaffInvite
from kitchenasty.staff.schemas import StaffUpdateIn
from tests.factories import PASSWORD, bearer, make_staff


async def admin_headers(services: Services) -> tuple[str, dict[str, str]]:
    admin = await make_staff(services, "SUPER_ADMIN")
    return admin.id, bearer(services.auth.issue("staff", admin))


async def invite(client: AsyncTestClient[Litestar], headers: dict[str, str], email: str) -> dict[str, str]:
    response = await client.post("/api/staff/invite", headers=headers, json={"email": email, "name": "Cook"})
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def outbox_to(services: Services, email: str) -> list[OutboxMessage]:
    async with services.db.session() as session:
        return list((await session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email))).all())


async def test_invitations_list_shows_pending_ones_only_newest_first(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    admin_id, headers = await admin_headers(services)
    accepted = await invite(client, headers, "accepted@example.com")
    await client.post(
        "/api/staff/accept-invite", json={"token": accepted["token"], "name": "Acc", "password": PASSWORD}
    )
    withdrawn = await invite(client, headers, "withdrawn@example.com")
    assert (await client.delete(f"/api/staff/invitations/{withdrawn['id']}", headers=headers)).status_code == 200
    old = await invite(client, headers, "old@example.com")
    fresh = await invite(client, headers, "fresh@example.com")
    async with services.db.transaction() as session:
        await session.execute(
            update(StaffInvite)
            .where(StaffInvite.id == old["id"])
            .values(expires_at=utcnow() - timedelta(minutes=1), created_at=utcnow() - timedelta(days=8))
        )

    listed = await client.get("/api/staff/invitations", headers=headers)

    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["pagination"]["total"] == 2
    assert [(i["email"], i["expired"]) for i in body["data"]] == [
        ("fresh@example.com", False),
        ("old@example.com", True),
    ]
    first = body["data"][0]
    assert first["id"] == fresh["id"]
    assert first["role"] == "STAFF"
    assert first["name"] == "Cook"
    assert first["invitedBy"]["id"] == admin_id
    assert "token" not in first


async def test_resend_gives_a_new_link_mails_it_and_kills_the_old_one(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    _, headers = await admin_headers(services)
    await client.put("/api/settings/mail", headers=headers, json={"smtpHost": "127.0.0.1"})
    first = await invite(client, headers, "cook@example.com")
    async with services.db.transaction() as session:
        await session.execute(update(StaffInvite).values(expires_at=utcnow() - timedelta(seconds=1)))

    resent = await client.post(f"/api/staff/invitations/{first['id']}/resend", headers=headers)

    assert resent.status_code == 200, resent.text
    again = resent.json()["data"]
    assert again["id"] == first["id"]
    assert again["token"] != first["token"]
    assert again["acceptUrl"].endswith(f"?token={again['token']}")
    assert again["emailed"] is True
    assert again["expiresAt"] > first["expiresAt"]
    mails = await outbox_to(services, "cook@example.com")
    assert len(mails) == 2
    assert again["token"] in (mails[1].body or "") or again["token"] in (mails[0].body or "")
    old = await client.get(f"/api/staff/invite/{first['token']}")
    assert (old.status_code, old.json()["code"]) == (404, "INVITE_INVALID")
    assert (await client.get(f"/api/staff/invite/{again['token']}")).status_code == 200
    accepted = await client.post(
        "/api/staff/accept-invite", json={"token": again["token"], "name": "Nia", "password": PASSWORD}
    )
    assert accepted.status_code == 201
    used = await client.post(f"/api/staff/invitations/{first['id']}/resend", headers=headers)
    assert used.status_code == 409
    assert used.json() == {"success": False, "error": "This invitation was already accepted", "code": "INVITE_USED"}


async def test_resend_without_mail_still_answers_the_link(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    _, headers = await admin_headers(services)
    first = await invite(client, headers, "nomail@example.com")
    resent = (await client.post(f"/api/staff/invitations/{first['id']}/resend", headers=headers)).json()["data"]
    assert resent["emailed"] is False
    assert resent["token"] in resent["acceptUrl"]
    assert await outbox_to(services, "nomail@example.com") == []


async def test_withdrawn_invitation_cannot_be_used_resent_or_withdrawn_again(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    _, headers = await admin_headers(services)
    data = await invite(client, headers, "late@example.com")

    withdrawn = await client.delete(f"/api/staff/invitations/{data['id']}", headers=headers)

    assert withdrawn.json() == {"success": True, "message": "Invitation withdrawn"}
    check = await client.get(f"/api/staff/invite/{data['token']}")
    assert (check.status_code, check.json()["code"]) == (400, "INVITE_REVOKED")
    assert check.json()["error"] == "This invite was withdrawn; ask for a new one"
    accept = await client.post(
        "/api/staff/accept-invite", json={"token": data["token"], "name": "Late", "password": PASSWORD}
    )
    assert (accept.status_code, accept.json()["code"]) == (400, "INVITE_REVOKED")
    for response in (
        await client.delete(f"/api/staff/invitations/{data['id']}", headers=headers),
        await client.post(f"/api/staff/invitations/{data['id']}/resend", headers=headers),
    ):
        assert (response.status_code, response.json()["code"]) == (409, "INVITE_REVOKED")
    missing = await client.delete("/api/staff/invitations/nope", headers=headers)
    assert (missing.status_code, missing.json()["code"]) == (404, "INVITE_NOT_FOUND")


async def test_own_role_own_account_are_409_sentences(client: AsyncTestClient[Litestar], services: Services) -> None:
    admin_id, headers = await admin_headers(services)
    own_role = await client.patch(f"/api/staff/{admin_id}", headers=headers, json={"role": "MANAGER"})
    assert own_role.status_code == 409
    assert own_role.json() == {"success": False, "error": "Cannot change your own role", "code": "OWN_ROLE"}
    for own in (
        await client.patch(f"/api/staff/{admin_id}", headers=headers, json={"isActive": False}),
        await client.delete(f"/api/staff/{admin_id}", headers=headers),
    ):
        assert own.status_code == 409
        assert own.json()["error"] == "Cannot deactivate your own account"


async def test_last_active_super_admin_can_be_neither_demoted_nor_deactivated(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    only = await make_staff(services, "SUPER_ADMIN")
    owner = Principal(id="cli", email="owner@example.com", type="staff", role="SUPER_ADMIN")  # e.g. a script
    for change in (StaffUpdateIn(role="MANAGER"), StaffUpdateIn(is_active=False)):
        with pytest.raises(Conflict, match="last active super admin") as refused:
            await services.staff.update(owner, only.id, change)
        assert refused.value.code == "LAST_ADMIN"
    assert (await services.staff.get(only.id)).is_active
    second = await make_staff(services, "SUPER_ADMIN")
    demoted = await services.staff.update(owner, only.id, StaffUpdateIn(role="MANAGER"))
    assert demoted.role == "MANAGER"
    assert (await services.staff.get(second.id)).role == "SUPER_ADMIN"


async def test_deactivate_then_reactivate_through_patch(client: AsyncTestClient[Litestar], services: Services) -> None:
    _, headers = await admin_headers(services)
    cook = await make_staff(services, "STAFF", email="cook2@example.com")
    old_token = services.auth.issue("staff", cook)

    off = await client.patch(f"/api/staff/{cook.id}", headers=headers, json={"isActive": False})
    assert (off.status_code, off.json()["data"]["isActive"]) == (200, False)
    assert (await client.get("/api/auth/me", headers=bearer(old_token))).status_code == 401
    refused = await client.post("/api/auth/staff/login", json={"email": "cook2@example.com", "password": PASSWORD})
    assert refused.status_code == 401

    on = await client.patch(f"/api/staff/{cook.id}", headers=headers, json={"isActive": True})
    assert (on.status_code, on.json()["data"]["isActive"]) == (200, True)
    assert (await client.get("/api/auth/me", headers=bearer(old_token))).status_code == 401  # stays ended
    login = await client.post("/api/auth/staff/login", json={"email": "cook2@example.com", "password": PASSWORD})
    assert login.status_code == 200


async def test_admin_password_reset_mails_a_link_and_the_link_resets_it(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    admin_id, headers = await admin_headers(services)
    await client.put("/api/settings/mail", headers=headers, json={"smtpHost": "127.0.0.1"})
    cook = await make_staff(services, "STAFF", email="forgetful@example.com")
    cook_token = services.auth.issue("staff", cook)

    response = await client.post(f"/api/staff/{cook.id}/password-reset", headers=headers)

    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert (data["staffId"], data["email"], data["emailed"]) == (cook.id, "forgetful@example.com", True)
    token = parse_qs(urlsplit(data["resetUrl"]).query)["token"][0]
    [mail] = await outbox_to(services, "forgetful@example.com")
    assert mail.source == "builtin:password_reset"
    assert data["resetUrl"] in (mail.text_body or mail.body or "")
    assert (await client.get("/api/auth/me", headers=bearer(cook_token))).status_code == 200  # not yet used
    async with services.db.session() as session:
        entries = (await session.scalars(select(AuditEntry).where(AuditEntry.entity_id == cook.id))).all()
    assert [(e.action, e.actor_id) for e in entries if e.action == "password_reset"] == [("password_reset", admin_id)]
    assert token not in str([e.changes for e in entries])

    done = await client.post("/api/auth/password-reset/confirm", json={"token": token, "password": "new-pass-123"})
    assert done.status_code == 200
    assert (await client.get("/api/auth/me", headers=bearer(cook_token))).status_code == 401
    login = await client.post(
        "/api/auth/staff/login", json={"email": "forgetful@example.com", "password": "new-pass-123"}
    )
    assert login.status_code == 200


async def test_admin_password_reset_refuses_deactivated_or_unknown_accounts(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    _, headers = await admin_headers(services)
    cook = await make_staff(services, "STAFF")
    plain = (await client.post(f"/api/staff/{cook.id}/password-reset", headers=headers)).json()["data"]
    assert plain["emailed"] is False  # no mail configured: the link is shown to hand over
    await client.delete(f"/api/staff/{cook.id}", headers=headers)
    inactive = await client.post(f"/api/staff/{cook.id}/password-reset", headers=headers)
    assert (inactive.status_code, inactive.json()["code"]) == (409, "ACCOUNT_INACTIVE")
    missing = await client.post("/api/staff/nope/password-reset", headers=headers)
    assert missing.status_code == 404
