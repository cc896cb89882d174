from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from kitchenasty.services import Services
from kitchenasty.settings.models import SiteSettings
from tests.factories import staff_headers

SMTP_PASS = "correct-horse-battery-staple"


async def stored_mail(services: Services) -> dict[str, object]:
    async with services.db.session() as session:
        row = await session.scalar(select(SiteSettings))
        return dict(row.mail or {}) if row else {}


async def test_secret_is_masked_on_read_and_kept_when_written_back_masked(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    headers = await staff_headers(services, "SUPER_ADMIN")
    saved = await client.put("/api/settings/mail", headers=headers, json={"smtpHost": "mx", "smtpPass": SMTP_PASS})
    assert saved.status_code == 200
    assert saved.json()["data"]["smtpPass"] == "****aple"
    assert SMTP_PASS not in saved.text
    shown = (await client.get("/api/settings/mail", headers=headers)).json()["data"]
    assert shown["smtpPass"] == "****aple"

    shown["smtpPort"] = 2525
    again = await client.put("/api/settings/mail", headers=headers, json=shown)
    assert again.status_code == 200
    stored = await stored_mail(services)
    assert stored["smtpPass"] == SMTP_PASS
    assert stored["smtpPort"] == 2525


async def test_a_mask_that_is_not_the_current_secret_is_refused_and_changes_nothing(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    headers = await staff_headers(services, "SUPER_ADMIN")
    await client.put("/api/settings/mail", headers=headers, json={"smtpPass": SMTP_PASS})
    refused = await client.put("/api/settings/mail", headers=headers, json={"smtpPass": "****wxyz", "smtpPort": 1})
    assert refused.status_code == 400
    assert refused.json()["code"] == "MASKED_SECRET"
    stored = await stored_mail(services)
    assert stored == {"smtpPass": SMTP_PASS}


async def test_short_secret_masks_as_stars_and_survives_a_round_trip(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    headers = await staff_headers(services, "SUPER_ADMIN")
    await client.put("/api/settings/payment", headers=headers, json={"stripeSecretKey": "sk_1"})
    shown = (await client.get("/api/settings/payment", headers=headers)).json()["data"]
    assert shown["stripeSecretKey"] == "****"
    await client.put("/api/settings/payment", headers=headers, json=shown)
    resolved = await services.settings.resolved()
    assert resolved.get("payments.stripeSecretKey") == "sk_1"


async def test_bad_values_are_400_and_change_nothing(client: AsyncTestClient[Litestar], services: Services) -> None:
    headers = await staff_headers(services, "SUPER_ADMIN")
    for body in (
        {"smtpPort": "not-a-port"},
        {"smtpPort": 70000},
        {"encryption": "starttls-please"},
        {"senderEmail": "not-an-email"},
        {"unknownField": 1},
    ):
        response = await client.put("/api/settings/mail", headers=headers, json=body)
        assert response.status_code == 400, body
        assert response.json()["success"] is False
    assert await stored_mail(services) == {}
    for body in ({"taxRate": 8.875}, {"taxRate": 101}, {"tipOptions": [10, "x"]}, {"deliveryFee": -1}):
        response = await client.put("/api/settings/order", headers=headers, json=body)
        assert response.status_code == 400, body
    not_object = await client.put("/api/settings/order", headers=headers, json=[1, 2])
    assert not_object.status_code == 400


async def test_write_invalidates_the_cache_at_once(client: AsyncTestClient[Litestar], services: Services) -> None:
    headers = await staff_headers(services, "MANAGER")
    assert (await services.settings.resolved()).get("orders.taxRate") == 0
    await client.put("/api/settings/order", headers=headers, json={"taxRate": 8.25})
    assert str((await services.settings.resolved()).get("orders.taxRate")) == "8.25"
    public = (await client.get("/api/settings")).json()["data"]
    assert public["orders"]["taxRate"] == 8.25


async def test_manager_cannot_read_mail_settings(client: AsyncTestClient[Litestar], services: Services) -> None:
    headers = await staff_headers(services, "MANAGER")
    response = await client.get("/api/settings/mail", headers=headers)
    assert response.status_code == 403
    assert response.json()["code"] == "INSUFFICIENT_ROLE"


async def test_public_settings_never_contain_secrets(client: AsyncTestClient[Litestar], services: Services) -> None:
    headers = await staff_headers(services, "SUPER_ADMIN")
    await client.put("/api/settings/mail", headers=headers, json={"smtpPass": SMTP_PASS, "smtpUser": "mailer"})
    await client.put("/api/settings/advanced", headers=headers, json={"smsAuthToken": "tok-1234567890"})
    public = await client.get("/api/settings")
    assert public.status_code == 200
    for secret in (SMTP_PASS, "tok-1234567890", "mailer"):
        assert secret not in public.text
    assert "mail" not in public.json()["data"]
