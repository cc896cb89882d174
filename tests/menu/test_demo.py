"""The demo restaurant (`kitchenasty init --demo`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from kitchenasty.cli import app as cli_app
from kitchenasty.core.errors import Conflict
from kitchenasty.coupons.models import Coupon
from kitchenasty.locations.models import DiningTable, Location
from kitchenasty.menu.demo import seed_demo
from kitchenasty.menu.models import Allergen, Category, Mealtime, MenuItem, MenuOption
from kitchenasty.services import Services

Client = AsyncTestClient[Litestar]
MODELS = (Location, DiningTable, Category, MenuItem, MenuOption, Allergen, Mealtime, Coupon)


async def row_counts(services: Services) -> dict[str, int]:
    async with services.db.session() as session:
        return {
            model.__tablename__: await session.scalar(select(func.count()).select_from(model)) or 0 for model in MODELS
        }


def walk(categories: list[dict[str, Any]]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for category in categories:
        items.extend(category["items"])
        items.extend(walk(category["children"]))
    return items


async def test_seed_demo_builds_a_believable_restaurant(client: Client, services: Services) -> None:
    summary = await seed_demo(services)
    assert summary.startswith("demo restaurant 'Saffron & Sage'")
    assert "\n" not in summary
    assert "WELCOME10" in summary
    counts = await row_counts(services)
    assert counts["locations"] == 1
    assert counts["tables"] == 8
    assert counts["allergens"] == 8
    assert counts["mealtimes"] == 2
    assert counts["coupons"] == 1
    assert 20 <= counts["menu_items"] <= 30
    menu = (await client.get("/api/menu")).json()["data"]
    location = menu["location"]
    assert location["name"] == "Saffron & Sage"
    assert (location["deliveryEnabled"], location["pickupEnabled"], location["dineInEnabled"]) == (True, True, True)
    assert 0 < location["minOrderDelivery"] <= 15
    tree = {c["name"]: [child["name"] for child in c["children"]] for c in menu["categories"]}
    assert tree == {
        "Starters": [],
        "Mains": ["Pizza", "Pasta", "Bowls"],
        "Drinks": ["Hot Drinks", "Cold Drinks"],
        "Desserts": [],
    }
    drinks = next(c for c in menu["categories"] if c["name"] == "Drinks")
    assert [c["name"] for c in drinks["children"][0]["children"]] == ["Coffee"]
    items = {item["name"]: item for item in walk(menu["categories"])}
    size = next(o for o in items["Margherita"]["options"] if o["name"] == "Size")
    assert (size["displayType"], size["isRequired"]) == ("RADIO", True)
    assert [v["name"] for v in size["values"] if v["isDefault"]] == ['Medium 12"']
    toppings = next(o for o in items["Margherita"]["options"] if o["name"] == "Extra toppings")
    assert (toppings["displayType"], toppings["maxSelect"]) == ("CHECKBOX", 3)
    assert any(o["name"] == "Milk" and o["displayType"] == "SELECT" for o in items["Latte"]["options"])
    assert any(o["name"] == "Spice level" for o in items["Falafel Bowl"]["options"])
    assert {a["name"] for a in items["Spaghetti Carbonara"]["allergens"]} == {"Gluten", "Eggs", "Dairy"}
    assert sum(1 for item in items.values() if item["trackStock"]) in (1, 2)
    lunch_only = [name for name, item in items.items() if any(m["name"] == "Lunch" for m in item["mealtimes"])]
    assert 1 <= len(lunch_only) <= 2
    assert sum(1 for item in items.values() if not item["mealtimes"]) >= len(items) - 3
    hours = (await client.get(f"/api/locations/{location['id']}")).json()["data"]["operatingHours"]
    assert len(hours) == 7
    assert [h["dayOfWeek"] for h in hours if h["isClosed"]] == []
    assert {(h["openTime"], h["closeTime"]) for h in hours} == {("00:00", "00:00")}  # open around the clock
    coupon = await client.post("/api/coupons/validate", json={"code": "welcome10", "subtotal": 30})
    assert coupon.status_code == 200, coupon.text


async def test_seed_demo_twice_is_refused_and_writes_nothing(quiet_services: Services) -> None:
    services = quiet_services
    await seed_demo(services)
    before = await row_counts(services)
    with pytest.raises(Conflict) as refused:
        await seed_demo(services)
    assert "demo data already present" in refused.value.message
    assert await row_counts(services) == before


def test_cli_init_demo_seeds_the_restaurant(tmp_path: Path) -> None:
    runner = CliRunner()
    data_dir = tmp_path / "data"
    args = [
        "init",
        "--data-dir",
        str(data_dir),
        "--admin-email",
        "owner@example.com",
        "--admin-password",
        "s3cret-pass",
    ]
    result = runner.invoke(cli_app, [*args, "--demo"], env={"KITCHENASTY_LOGIN_ATTEMPTS_PER_MINUTE": "10000"})
    assert result.exit_code == 0, result.output
    assert "Saffron & Sage" in result.output
    again = runner.invoke(
        cli_app,
        ["init", "--data-dir", str(data_dir), "--admin-email", "second@example.com", "--admin-password", "s3cret-pass",
         "--demo", "--force"],
    )  # fmt: skip
    assert again.exit_code == 1
    assert "demo data already present" in again.output
