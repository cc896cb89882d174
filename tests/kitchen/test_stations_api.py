"""`/api/stations` and the station an order line is sent to when the order is placed."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from kitchenasty.menu.models import Category
from kitchenasty.orders.models import OrderItem
from kitchenasty.services import Services
from tests.factories import staff_headers
from tests.orders.fixtures import GUEST, make_category, make_item, make_menu

Client = AsyncTestClient[Litestar]


async def _station(client: Client, headers: dict[str, str], **body: object) -> dict:
    response = await client.post("/api/stations", headers=headers, json=body)
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def test_stations_crud_with_categories(client: Client, services: Services) -> None:
    headers = await staff_headers(services, "MANAGER")
    drinks = await make_category(services, "Drinks")
    bar = await _station(client, headers, name="Bar & Drinks", categoryIds=[drinks])
    assert bar["slug"] == "bar-drinks"
    assert bar["categoryIds"] == [drinks]
    assert bar["active"] is True
    assert bar["displayUrl"] == "/kitchen?station=bar-drinks"
    assert bar["printers"] == []

    renamed = await client.patch(
        f"/api/stations/{bar['id']}", headers=headers, json={"name": "Bar", "position": 2, "categoryIds": []}
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["data"]["name"] == "Bar"
    assert renamed.json()["data"]["slug"] == "bar-drinks"  # bookmarked displays keep working
    assert renamed.json()["data"]["categoryIds"] == []

    staff = await staff_headers(services, "STAFF")
    listed = await client.get("/api/stations", headers=staff)
    assert listed.status_code == 200
    assert [s["name"] for s in listed.json()["data"]] == ["Bar"]

    category = await make_category(services, "Mains")
    item, _, _ = await make_item(services, category, name="Cocktail", price_cents=900, station_id=bar["id"])
    deleted = await client.delete(f"/api/stations/{bar['id']}", headers=headers)
    assert deleted.status_code == 200
    assert (await client.get("/api/stations", headers=staff)).json()["data"] == []
    missing = await client.patch(f"/api/stations/{bar['id']}", headers=headers, json={"name": "X"})
    assert missing.status_code == 404
    assert missing.json()["code"] == "STATION_NOT_FOUND"
    # The item that was sent to the deleted station follows its category again.
    assert (await client.get(f"/api/menu/items/{item}")).json()["data"]["stationId"] is None


async def test_stations_refuse_bad_input(client: Client, services: Services) -> None:
    headers = await staff_headers(services, "MANAGER")
    drinks = await make_category(services, "Drinks")
    await _station(client, headers, name="Bar", slug="bar", categoryIds=[drinks])
    dup = await client.post("/api/stations", headers=headers, json={"name": "Bar two", "slug": "bar"})
    assert dup.status_code == 409
    assert dup.json()["code"] == "SLUG_TAKEN"
    taken = await client.post("/api/stations", headers=headers, json={"name": "Line", "categoryIds": [drinks]})
    assert taken.status_code == 409
    assert taken.json()["code"] == "CATEGORY_TAKEN"
    assert "Bar" in taken.json()["error"]
    unknown = await client.post("/api/stations", headers=headers, json={"name": "Line", "categoryIds": ["nope"]})
    assert unknown.status_code == 400
    assert unknown.json()["details"][0]["key"] == "categoryIds"
    blank = await client.post("/api/stations", headers=headers, json={"name": "  "})
    assert blank.status_code == 400
    bad_slug = await client.post("/api/stations", headers=headers, json={"name": "Grill", "slug": "Grill!"})
    assert bad_slug.status_code == 400
    listed = (await client.get("/api/stations", headers=headers)).json()["data"]
    assert [s["slug"] for s in listed] == ["bar"]  # nothing half-written


async def test_menu_item_accepts_station_id(client: Client, services: Services) -> None:
    headers = await staff_headers(services, "MANAGER")
    category = await make_category(services, "Mains")
    grill = await _station(client, headers, name="Grill")
    body = {"name": "Steak", "slug": "steak", "price": 20, "categoryId": category, "stationId": grill["id"]}
    created = await client.post("/api/menu/items", headers=headers, json=body)
    assert created.status_code == 201, created.text
    item = created.json()["data"]
    assert item["stationId"] == grill["id"]
    cleared = await client.patch(f"/api/menu/items/{item['id']}", headers=headers, json={"stationId": None})
    assert cleared.json()["data"]["stationId"] is None
    bad = await client.patch(f"/api/menu/items/{item['id']}", headers=headers, json={"stationId": "nope"})
    assert bad.status_code == 400
    assert bad.json()["code"] == "STATION_NOT_FOUND"
    assert bad.json()["details"][0]["key"] == "stationId"


async def test_order_lines_record_their_station_at_placement(client: Client, services: Services) -> None:
    headers = await staff_headers(services, "MANAGER")
    menu = await make_menu(services)  # Burger, Fries, Soda in "Mains"
    drinks = await make_category(services, "Drinks")
    sub = await make_category(services, "Beer")
    async with services.db.transaction() as session:
        sub_row = await session.get(Category, sub)
        assert sub_row is not None
        sub_row.parent_id = drinks
    ipa, _, _ = await make_item(services, sub, name="IPA", price_cents=500)
    bar = await _station(client, headers, name="Bar", categoryIds=[drinks])
    line = await _station(client, headers, name="Line", categoryIds=[menu.category_id])
    # Fries go to the bar by override; the burger follows "Mains" (line); the IPA its parent category (bar).
    patched = await client.patch(f"/api/menu/items/{menu.fries}", headers=headers, json={"stationId": bar["id"]})
    assert patched.status_code == 200
    items = [
        {"menuItemId": menu.burger, "quantity": 1, "options": [{"menuOptionValueId": menu.values["regular"]}]},
        {"menuItemId": menu.fries, "quantity": 2},
        {"menuItemId": ipa, "quantity": 1},
    ]
    placed = await client.post("/api/orders", json={"orderType": "PICKUP", "items": items, **GUEST})
    assert placed.status_code == 201, placed.text
    order = placed.json()["data"]
    assert [(i["name"], i["stationId"]) for i in order["items"]] == [
        ("Burger", line["id"]),
        ("Fries", bar["id"]),
        ("IPA", bar["id"]),
    ]
    read = await client.get(f"/api/orders/{order['id']}", headers=headers)
    assert [i["stationId"] for i in read.json()["data"]["items"]] == [line["id"], bar["id"], bar["id"]]

    # Switching the line off sends new burgers to expo only; the order already placed keeps its stations.
    await client.patch(f"/api/stations/{line['id']}", headers=headers, json={"active": False})
    again = await client.post("/api/orders", json={"orderType": "PICKUP", "items": items[:1], **GUEST})
    assert again.json()["data"]["items"][0]["stationId"] is None
    async with services.db.session() as session:
        stored = (await session.scalars(select(OrderItem).where(OrderItem.order_id == order["id"]))).all()
    assert sorted(i.station_id or "" for i in stored) == sorted([line["id"], bar["id"], bar["id"]])


async def test_order_lines_without_stations_go_to_expo(client: Client, services: Services) -> None:
    menu = await make_menu(services)
    items = [{"menuItemId": menu.fries, "quantity": 1}]
    placed = await client.post("/api/orders", json={"orderType": "PICKUP", "items": items, **GUEST})
    assert placed.status_code == 201
    assert placed.json()["data"]["items"][0]["stationId"] is None


async def test_station_lists_its_printers_and_refuses_delete_while_it_has_them(
    client: Client, services: Services
) -> None:
    headers = await staff_headers(services, "MANAGER")
    bar = await _station(client, headers, name="Bar")
    created = await client.post(
        "/api/printers", headers=headers, json={"name": "Bar printer", "host": "127.0.0.1", "stationId": bar["id"]}
    )
    assert created.status_code == 201, created.text
    listed = (await client.get("/api/stations", headers=headers)).json()["data"]
    assert [p["name"] for p in listed[0]["printers"]] == ["Bar printer"]
    refused = await client.delete(f"/api/stations/{bar['id']}", headers=headers)
    assert refused.status_code == 409
    assert refused.json()["code"] == "STATION_IN_USE"
    assert "printers" in refused.json()["error"]
