"""Password reset: token by e-mail (through the outbox), single use, 30-minute expiry, no account enumeration."""

from __future__ import annotations

import re
from datetime import timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update

from kitchenasty.auth.models import PasswordResetToken
from kitchenasty.core.outbox import OutboxMessage
from kitchenasty.core.schema import utcnow
from kitchenasty.services import Services
from tests.factories import PASSWORD, make_customer, make_staff, staff_headers

NEW_PASSWORD = "a-brand-new-password"


async def request_link(client: AsyncTestClient[Litestar], services: Services, email: str, kind: str) -> str:
    response = await client.post("/api/auth/password-reset/request", json={"email": email, "type": kind})
    assert response.status_code == 200
    async with services.db.session() as session:
        message = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.recipient == email).order_by(OutboxMessage.created_at.desc())
        )
    assert message is not None and message.source == "builtin:password_reset"
    match = re.search(r"reset-password\?token=([0-9a-f]{64})", message.text_body or "")
    assert match, message.text_body
    return match.group(1)


async def enable_mail(client: AsyncTestClient[Litestar], services: Services) -> None:
    headers = await staff_headers(services, "SUPER_ADMIN")
    await client.put("/api/settings/mail", headers=headers, json={"smtpHost": "127.0.0.1"})


async def test_customer_resets_password_once(client: AsyncTestClient[Litestar], services: Services) -> None:
    await enable_mail(client, services)
    await make_customer(services, email="ana@example.com")
    token = await request_link(client, services, "ana@example.com", "customer")
    done = await client.post("/api/auth/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD})
    assert done.status_code == 200
    old = await client.post("/api/auth/customer/login", json={"email": "ana@example.com", "password": PASSWORD})
    assert old.status_code == 401
    new = await client.post("/api/auth/customer/login", json={"email": "ana@example.com", "password": NEW_PASSWORD})
    assert new.status_code == 200
    reused = await client.post("/api/auth/password-reset/confirm", json={"token": token, "password": "third-pass-1"})
    assert reused.status_code == 400
    assert reused.json()["code"] == "RESET_TOKEN_INVALID"


async def test_staff_reset_link_expires(client: AsyncTestClient[Litestar], services: Services) -> None:
    await enable_mail(client, services)
    await make_staff(services, email="cook@example.com")
    token = await request_link(client, services, "cook@example.com", "staff")
    async with services.db.transaction() as session:
        await session.execute(update(PasswordResetToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    late = await client.post("/api/auth/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD})
    assert late.status_code == 400
    login = await client.post("/api/auth/staff/login", json={"email": "cook@example.com", "password": PASSWORD})
    assert login.status_code == 200


async def test_unknown_email_gets_the_same_answer_and_no_mail(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    await enable_mail(client, services)
    known = await make_customer(services, email="known@example.com")
    a = await client.post("/api/auth/password-reset/request", json={"email": known.email, "type": "customer"})
    b = await client.post("/api/auth/password-reset/request", json={"email": "ghost@example.com", "type": "customer"})
    assert a.status_code == b.status_code == 200
    assert a.json() == b.json()
    async with services.db.session() as session:
        recipients = (await session.scalars(select(OutboxMessage.recipient))).all()
    assert recipients == ["known@example.com"]
