"""The kitchen line's item states against a real uvicorn with real kitchen-room sockets (issue 15): two cooks tapping
the same item at once (one change, the other screen reconciled), the order going READY by itself, recall on every
screen, and the acknowledgement that stops a new order's alert."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from tests.realtime.fixtures import data_dir, http, server, world, world_template
from tests.realtime.helpers import World, cookie, move, place
from tests.realtime.test_rooms import nothing_more, receive
from tests.servers import UvicornThread

__all__ = ["data_dir", "http", "server", "world", "world_template"]  # the live-room fixtures these tests use


def staff(world: World) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.staff_token}"}


async def tap(http: httpx.AsyncClient, world: World, order_id: str, item_id: str, **body: Any) -> httpx.Response:
    return await http.patch(f"/api/orders/{order_id}/items/{item_id}/prep", json=body, headers=staff(world))


async def until(ws: ClientConnection, event: str) -> dict[str, Any]:
    """The next message of that kind (skipping others)."""
    while True:
        message = await receive(ws)
        if message["event"] == event:
            return message


async def messages(ws: ClientConnection, count: int) -> list[dict[str, Any]]:
    return [await receive(ws) for _ in range(count)]


async def confirmed(http: httpx.AsyncClient, world: World, lines: int = 2) -> dict[str, Any]:
    order = await place(http, world, *([world.simple_item] * lines))
    return await move(http, world, order["id"], "CONFIRMED")


async def test_two_simultaneous_taps_on_one_item_make_one_change_and_the_loser_reconciles(
    server: UvicornThread, http: httpx.AsyncClient, world: World
) -> None:
    order = await confirmed(http, world)
    item = order["items"][0]
    assert (item["prepState"], item["prepVersion"], item["prepChangedAt"]) == ("QUEUED", 0, None)
    url = f"{server.ws_url}/api/ws/kitchen"
    async with (
        connect(url, additional_headers=cookie(world.staff_token)) as one,
        connect(url, additional_headers=cookie(world.staff_token)) as two,
    ):
        for ws in (one, two):
            snapshot = await receive(ws)
            assert snapshot["data"][0]["items"][0]["prepState"] == "QUEUED"

        first, second = await asyncio.gather(
            tap(http, world, order["id"], item["id"], state="PREPARING", expectedVersion=0),
            tap(http, world, order["id"], item["id"], state="PREPARING", expectedVersion=0),
        )
        assert sorted([first.status_code, second.status_code]) == [200, 409]
        won, lost = (first, second) if first.status_code == 200 else (second, first)
        assert won.json()["data"]["item"]["prepVersion"] == 1
        assert won.json()["data"]["orderStatus"] == "PREPARING"  # the first item started moves a CONFIRMED order
        refusal = lost.json()
        assert refusal["success"] is False and refusal["code"] == "ITEM_CHANGED"
        assert "Someone changed this item meanwhile" in refusal["error"]
        # the loser's screen learns what won, from the refusal itself
        assert refusal["details"][0] == won.json()["data"]["item"]

        for ws in (one, two):
            moved, changed = await messages(ws, 2)
            assert (moved["event"], moved["data"]["status"]) == ("order.statusUpdate", "PREPARING")
            assert moved["data"]["items"][0]["prepState"] == "PREPARING"
            assert changed["event"] == "orderItem.prepChanged"
            assert changed["data"] == {
                "orderId": order["id"],
                "itemId": item["id"],
                "state": "PREPARING",
                "version": 1,
                "changedAt": won.json()["data"]["item"]["prepChangedAt"],
                "orderStatus": "PREPARING",
                "recalled": False,
            }
            assert changed["seq"] == moved["seq"] + 1
            await nothing_more(ws)  # one change, not two

    history = await http.get(f"/api/orders/{order['id']}/history", headers=staff(world))
    assert [step["status"] for step in history.json()["data"]] == ["PENDING", "CONFIRMED", "PREPARING"]


async def test_the_order_goes_ready_when_its_last_item_is_done(
    server: UvicornThread, http: httpx.AsyncClient, world: World
) -> None:
    order = await confirmed(http, world)
    first, second = (item["id"] for item in order["items"])
    async with connect(f"{server.ws_url}/api/ws/kitchen", additional_headers=cookie(world.staff_token)) as ws:
        await receive(ws)
        assert (await tap(http, world, order["id"], first, state="PREPARING", expectedVersion=0)).status_code == 200
        assert (await until(ws, "orderItem.prepChanged"))["data"]["orderStatus"] == "PREPARING"
        done = await tap(http, world, order["id"], first, state="DONE", **{"from": "PREPARING"})
        assert done.json()["data"]["orderStatus"] == "PREPARING"  # one item still open
        assert (await until(ws, "orderItem.prepChanged"))["data"]["state"] == "DONE"
        last = await tap(http, world, order["id"], second, state="DONE", expectedVersion=0)
        assert last.status_code == 200, last.text
        assert last.json()["data"]["orderStatus"] == "READY"
        moved, changed = await messages(ws, 2)
        assert (moved["event"], moved["data"]["status"]) == ("order.statusUpdate", "READY")
        assert [i["prepState"] for i in moved["data"]["items"]] == ["DONE", "DONE"]
        assert (changed["event"], changed["data"]["orderStatus"]) == ("orderItem.prepChanged", "READY")

    shown = (await http.get(f"/api/orders/{order['id']}", headers=staff(world))).json()["data"]
    assert shown["status"] == "READY" and shown["nextStatus"] == "PICKED_UP"
    history = (await http.get(f"/api/orders/{order['id']}/history", headers=staff(world))).json()["data"]
    assert [step["status"] for step in history] == ["PENDING", "CONFIRMED", "PREPARING", "READY"]
    assert history[-1]["by"]["role"] == "STAFF"
    # READY: the items no longer change (the order would have to be recalled first)
    again = await tap(http, world, order["id"], second, state="PREPARING", expectedVersion=1)
    assert again.status_code == 409 and again.json()["code"] == "ORDER_NOT_IN_KITCHEN"


async def test_recall_restores_the_previous_state_on_both_screens(
    server: UvicornThread, http: httpx.AsyncClient, world: World
) -> None:
    order = await confirmed(http, world, lines=1)
    item = order["items"][0]["id"]
    assert (await tap(http, world, order["id"], item, state="PREPARING", expectedVersion=0)).status_code == 200
    assert (await tap(http, world, order["id"], item, state="DONE", expectedVersion=1)).json()["data"][
        "orderStatus"
    ] == "READY"
    url = f"{server.ws_url}/api/ws/kitchen"
    async with (
        connect(url, additional_headers=cookie(world.staff_token)) as one,
        connect(url, additional_headers=cookie(world.manager_token)) as two,
    ):
        for ws in (one, two):
            assert (await receive(ws))["data"][0]["status"] == "READY"

        recalled = await http.post(f"/api/orders/{order['id']}/recall", headers=staff(world))
        assert recalled.status_code == 200, recalled.text
        assert recalled.json()["data"]["status"] == "PREPARING"
        assert recalled.json()["data"]["items"][0]["prepState"] == "PREPARING"
        for ws in (one, two):
            moved, changed = await messages(ws, 2)
            assert (moved["event"], moved["data"]["status"]) == ("order.statusUpdate", "PREPARING")
            assert changed["event"] == "orderItem.prepChanged"
            assert (changed["data"]["state"], changed["data"]["version"]) == ("PREPARING", 3)
            assert changed["data"]["recalled"] is True

        # the next recall undoes the move before: the item back to QUEUED and the order back to CONFIRMED
        again = await http.post(f"/api/orders/{order['id']}/recall", headers=staff(world))
        assert again.json()["data"]["status"] == "CONFIRMED"
        assert again.json()["data"]["items"][0]["prepState"] == "QUEUED"
        for ws in (one, two):
            moved, changed = await messages(ws, 2)
            assert moved["data"]["status"] == "CONFIRMED"
            assert (changed["data"]["state"], changed["data"]["orderStatus"]) == ("QUEUED", "CONFIRMED")

        # then the confirmation itself (a status change made with the button), then nothing
        assert (await http.post(f"/api/orders/{order['id']}/recall", headers=staff(world))).json()["data"][
            "status"
        ] == "PENDING"
        for ws in (one, two):
            assert (await receive(ws))["data"]["status"] == "PENDING"
        nothing = await http.post(f"/api/orders/{order['id']}/recall", headers=staff(world))
        assert nothing.status_code == 409
        assert nothing.json()["error"] == "There is nothing to recall on this order"

    history = (await http.get(f"/api/orders/{order['id']}/history", headers=staff(world))).json()["data"]
    assert [step["status"] for step in history] == [
        "PENDING", "CONFIRMED", "PREPARING", "READY", "PREPARING", "CONFIRMED", "PENDING"
    ]  # fmt: skip
    assert history[-1]["reason"] == "Recalled on the kitchen display"


async def test_recall_brings_back_an_order_that_left_the_board_but_not_a_cancelled_one(
    server: UvicornThread, http: httpx.AsyncClient, world: World
) -> None:
    order = await place(http, world)
    for status in ("CONFIRMED", "PREPARING", "READY", "PICKED_UP"):
        await move(http, world, order["id"], status)
    async with connect(f"{server.ws_url}/api/ws/kitchen", additional_headers=cookie(world.staff_token)) as ws:
        assert (await receive(ws))["data"] == []
        back = await http.post(f"/api/orders/{order['id']}/recall", headers=staff(world))
        assert back.json()["data"]["status"] == "READY"
        message = await receive(ws)
        assert (message["event"], message["data"]["status"]) == ("order.statusUpdate", "READY")

    cancelled = await place(http, world)
    await move(http, world, cancelled["id"], "CANCELLED")
    refused = await http.post(f"/api/orders/{cancelled['id']}/recall", headers=staff(world))
    assert refused.status_code == 409
    assert refused.json()["error"] == "A cancelled order cannot be recalled; place it again instead"


async def test_item_changes_are_refused_with_a_sentence(
    server: UvicornThread, http: httpx.AsyncClient, world: World
) -> None:
    pending = await place(http, world)
    item = pending["items"][0]["id"]
    refused = await tap(http, world, pending["id"], item, state="PREPARING", expectedVersion=0)
    assert (refused.status_code, refused.json()["code"]) == (409, "ORDER_NOT_CONFIRMED")
    assert refused.json()["error"] == "Confirm this order before preparing its items"
    unversioned = await tap(http, world, pending["id"], item, state="PREPARING")
    assert unversioned.status_code == 400
    assert "expectedVersion" in unversioned.json()["error"]
    unknown = await tap(http, world, pending["id"], "no-such-item", state="PREPARING", expectedVersion=0)
    assert (unknown.status_code, unknown.json()["error"]) == (404, "This item is not part of the order")
    bad = await tap(http, world, pending["id"], item, state="COOKED", expectedVersion=0)
    assert bad.status_code == 400
    customer = await http.patch(
        f"/api/orders/{pending['id']}/items/{item}/prep",
        json={"state": "DONE", "expectedVersion": 0},
        headers={"Authorization": f"Bearer {world.customer_token}"},
    )
    assert customer.status_code == 403
    stale = await tap(http, world, pending["id"], item, state="DONE", **{"from": "PREPARING"})
    assert stale.status_code == 409 and stale.json()["details"][0]["prepState"] == "QUEUED"


async def test_acknowledging_a_new_order_tells_every_kitchen_screen_once(
    server: UvicornThread, http: httpx.AsyncClient, world: World
) -> None:
    url = f"{server.ws_url}/api/ws/kitchen"
    async with (
        connect(url, additional_headers=cookie(world.staff_token)) as one,
        connect(url, additional_headers=cookie(world.manager_token)) as two,
    ):
        for ws in (one, two):
            await receive(ws)
        order = await place(http, world)
        for ws in (one, two):
            created = await receive(ws)
            assert created["data"]["acknowledgedAt"] is None
        first = await http.post(f"/api/orders/{order['id']}/acknowledge", headers=staff(world))
        assert first.status_code == 200, first.text
        data = first.json()["data"]
        assert data["orderId"] == order["id"] and data["acknowledgedAt"]
        for ws in (one, two):
            message = await receive(ws)
            assert message["event"] == "order.acknowledged"
            assert message["data"] == data
        second = await http.post(
            f"/api/orders/{order['id']}/acknowledge", headers={"Authorization": f"Bearer {world.manager_token}"}
        )
        assert second.json()["data"] == data  # the first acknowledgement stands
        for ws in (one, two):
            await nothing_more(ws)
    shown = (await http.get(f"/api/orders/{order['id']}", headers=staff(world))).json()["data"]
    assert (shown["acknowledgedAt"], shown["acknowledgedBy"]) == (data["acknowledgedAt"], data["acknowledgedBy"])
    missing = await http.post("/api/orders/nope/acknowledge", headers=staff(world))
    assert missing.status_code == 404
