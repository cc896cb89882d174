"""Each settings group describes its fields for the admin forms (issue 13): value, where it comes from (database,
TOML, environment, default), help, type, bounds and choices from the registry; the old body is unchanged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.core.settings_registry import group_specs
from kitchenasty.services import Services
from tests.factories import staff_headers

SMTP_PASS = "correct-horse-battery-staple"


def by_name(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in body["fields"]}


async def test_group_fields_say_where_each_value_comes_from(
    data_dir: Path, app_factory: Callable[..., Litestar]
) -> None:
    (data_dir / "kitchenasty.toml").write_text('[settings.mail]\nsender_name = "Pizzeria Uno"\n')
    app = app_factory({"SMTP_HOST": "smtp.env.example", "KITCHENASTY_MAIL__SMTP_USER": "mailer"})
    services: Services = app.state.services
    async with AsyncTestClient(app=app) as client:
        headers = await staff_headers(services, "SUPER_ADMIN")
        saved = await client.put("/api/settings/mail", headers=headers, json={"smtpPass": SMTP_PASS, "smtpPort": 2525})
        assert saved.status_code == 200, saved.text

        body = (await client.get("/api/settings/mail", headers=headers)).json()

    fields = by_name(body)
    assert [f["name"] for f in body["fields"]] == [s.name.split(".", 1)[1] for s in group_specs("mail")]
    assert (fields["smtpHost"]["value"], fields["smtpHost"]["source"]) == ("smtp.env.example", "environment")
    assert fields["smtpHost"]["sourceDetail"] == "SMTP_HOST"
    assert (fields["smtpUser"]["source"], fields["smtpUser"]["sourceDetail"]) == (
        "environment",
        "KITCHENASTY_MAIL__SMTP_USER",
    )
    assert (fields["senderName"]["value"], fields["senderName"]["source"]) == ("Pizzeria Uno", "toml")
    assert fields["senderName"]["sourceDetail"] == "settings.mail.sender_name"
    assert (fields["smtpPort"]["value"], fields["smtpPort"]["source"]) == (2525, "database")
    assert fields["senderEmail"]["source"] == "default"
    port = fields["smtpPort"]
    assert (port["type"], port["minimum"], port["maximum"], port["default"]) == ("int", 1, 65535, 587)
    assert port["help"] == "SMTP port."
    assert port["envVars"] == ["KITCHENASTY_MAIL__SMTP_PORT", "SMTP_PORT"]
    assert port["tomlKey"] == "settings.mail.smtp_port"
    assert port["key"] == "mail.smtpPort"
    assert fields["encryption"]["choices"] == ["none", "tls", "ssl"]
    assert fields["senderName"]["maxLength"] == 120
    secret = fields["smtpPass"]
    assert (secret["secret"], secret["value"], secret["source"]) == (True, "****aple", "database")
    assert SMTP_PASS not in str(body)
    # the body the pages already use is unchanged beside the new list
    assert body["data"]["smtpPass"] == "****aple" and body["data"]["smtpPort"] == 2525
    assert body["sources"]["smtpHost"] == "env" and body["sources"]["smtpPort"] == "db"


async def test_sending_the_mask_back_keeps_the_secret_and_the_fields_follow_the_save(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    headers = await staff_headers(services, "SUPER_ADMIN")
    await client.put("/api/settings/payment", headers=headers, json={"stripeSecretKey": "sk_test_0123456789abcdef"})
    shown = (await client.get("/api/settings/payment", headers=headers)).json()
    masked = by_name(shown)["stripeSecretKey"]["value"]
    assert masked == "****cdef"

    again = await client.put(
        "/api/settings/payment", headers=headers, json={"stripeSecretKey": masked, "stripeEnabled": True}
    )

    assert again.status_code == 200, again.text
    assert (await services.settings.resolved()).get("payments.stripeSecretKey") == "sk_test_0123456789abcdef"
    fields = by_name(again.json())
    assert (fields["stripeEnabled"]["value"], fields["stripeEnabled"]["source"]) == (True, "database")
    removed = await client.put("/api/settings/payment", headers=headers, json={"stripeEnabled": None})
    assert by_name(removed.json())["stripeEnabled"]["source"] == "default"


async def test_manager_groups_describe_their_fields_and_money_reads_as_numbers(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    headers = await staff_headers(services, "MANAGER")
    body = (await client.get("/api/settings/order", headers=headers)).json()
    fields = by_name(body)
    tax = fields["taxRate"]
    assert (tax["type"], tax["value"], tax["minimum"], tax["maximum"], tax["secret"]) == ("percent", 0, 0, 100, False)
    assert fields["tipOptions"]["default"] == [10, 15, 20, 25]
    assert fields["deliveryFee"]["type"] == "money"
    assert all(f["source"] == "default" for f in body["fields"])
    assert (await client.get("/api/settings/mail", headers=headers)).status_code == 403
