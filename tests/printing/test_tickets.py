"""Kitchen tickets printed against a local ESC/POS receiver (tests/printing/receiver.py): stations route items to
their printers, a printer that is down then up prints each ticket exactly once, voids and cancellations print
change tickets, reprints are marked, and 58/80 mm tickets wrap to 32/48 columns."""

from __future__ import annotations

import asyncio

from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.services import Services
from tests.factories import staff_headers
from tests.orders.fixtures import make_menu, set_settings
from tests.printing.helpers import all_printed, burger, jobs, place, plain, printer, station
from tests.printing.receiver import PrinterReceiver
from tests.servers import eventually, free_port

Client = AsyncTestClient[Litestar]


async def _two_stations(client: Client, services: Services, bar_port: int, line_port: int, **printer_body: object):  # type: ignore[no-untyped-def]
    headers = await staff_headers(services, "MANAGER")
    menu = await make_menu(services)
    bar = await station(client, headers, "Bar")
    line = await station(client, headers, "Line", categoryIds=[menu.category_id])
    response = await client.patch(f"/api/menu/items/{menu.soda}", headers=headers, json={"stationId": bar["id"]})
    assert response.status_code == 200
    await printer(client, headers, "Bar printer", bar_port, stationId=bar["id"], **printer_body)
    await printer(client, headers, "Line printer", line_port, stationId=line["id"], **printer_body)
    services.printing.worker.backoff_base = 0.05
    return headers, menu


async def test_order_for_two_stations_prints_one_ticket_each_with_its_items(client: Client, services: Services) -> None:
    await set_settings(services, "orders", autoPrintStatus="PENDING")
    with PrinterReceiver() as bar_printer, PrinterReceiver() as line_printer:
        _, menu = await _two_stations(client, services, bar_printer.port, line_printer.port)
        order = await place(client, menu, [burger(menu), plain(menu.soda, 2), plain(menu.fries)])
        [bar_ticket] = bar_printer.wait_for(1)
        [line_ticket] = line_printer.wait_for(1)
        await all_printed(services, 2)
    assert bar_ticket.item_lines == ["2x Soda"]
    assert line_ticket.item_lines == ["1x Burger", "+ Size: Large", "+ Extras: Cheese", "1x Fries"]
    for ticket, name in ((bar_ticket, "Bar"), (line_ticket, "Line")):
        assert ticket.cut
        assert ticket.line(f"#{order['orderNumber']}").double_width
        assert ticket.has(f"Pickup - {name}")
        assert ticket.line("Ada Lovelace")
        assert ticket.line("1x" if name == "Line" else "2x").bold
    assert {t.job_id for t in (bar_ticket, line_ticket)} == {j.id for j in await jobs(services)}
    await asyncio.sleep(0.3)
    assert len(bar_printer.tickets) == len(line_printer.tickets) == 1


async def test_tickets_print_on_the_auto_print_status_once(client: Client, services: Services) -> None:
    with PrinterReceiver() as bar_printer, PrinterReceiver() as line_printer:
        headers, menu = await _two_stations(client, services, bar_printer.port, line_printer.port)
        order = await place(client, menu, [plain(menu.fries)])  # the default: print on CONFIRMED
        await asyncio.sleep(0.3)
        assert await jobs(services) == []
        for status in ("CONFIRMED", "PREPARING"):
            moved = await client.patch(f"/api/orders/{order['id']}/status", headers=headers, json={"status": status})
            assert moved.status_code == 200, moved.text
        [ticket] = line_printer.wait_for(1)
        await all_printed(services, 1)
        await asyncio.sleep(0.3)
    assert ticket.item_lines == ["1x Fries"]
    assert len(line_printer.tickets) == 1
    assert bar_printer.tickets == []  # nothing of the bar's on this order


async def test_printer_down_then_up_prints_each_ticket_exactly_once(client: Client, services: Services) -> None:
    await set_settings(services, "orders", autoPrintStatus="PENDING")
    port = free_port()  # nothing listens there yet: the printer is off
    with PrinterReceiver() as bar_printer:
        _, menu = await _two_stations(client, services, bar_printer.port, port)
        for _ in range(3):
            await place(client, menu, [plain(menu.fries)])

        async def retried() -> bool:
            rows = await jobs(services)
            return bool(rows) and rows[0].attempts >= 2 and bool(rows[0].last_error)

        await eventually(retried, timeout=10)
        first = (await jobs(services))[0]
        assert first.status == "PENDING"
        assert "refused" in (first.last_error or "")
        with PrinterReceiver(port) as line_printer:
            tickets = line_printer.wait_for(3, timeout=20)
            printed = await all_printed(services, 3, timeout=20)
            await asyncio.sleep(0.5)
            tickets = line_printer.tickets
    assert sorted(t.job_id or "" for t in tickets) == sorted(j.id for j in printed)
    assert [t.job_id for t in tickets] == [j.id for j in printed]  # in order
    assert all(j.printed_at is not None for j in printed)


async def test_voided_item_prints_a_change_ticket_with_that_line_only(client: Client, services: Services) -> None:
    await set_settings(services, "orders", autoPrintStatus="PENDING")
    with PrinterReceiver() as bar_printer, PrinterReceiver() as line_printer:
        _, menu = await _two_stations(client, services, bar_printer.port, line_printer.port)
        order = await place(client, menu, [burger(menu), plain(menu.fries, 2), plain(menu.soda)])
        line_printer.wait_for(1)
        bar_printer.wait_for(1)
        fries = next(i for i in order["items"] if i["name"] == "Fries")
        staff = await staff_headers(services)
        voided = await client.post(
            f"/api/orders/{order['id']}/items/{fries['id']}/void", headers=staff, json={"reason": "Out of fries"}
        )
        assert voided.status_code == 200, voided.text
        change = line_printer.wait_for(2)[1]
        await all_printed(services, 3)
        await asyncio.sleep(0.3)
    assert change.line("CHANGE").invert
    assert change.item_lines == ["VOID 2x Fries"]
    assert len(bar_printer.tickets) == 1  # the bar had no fries: no change ticket there
    body = voided.json()["data"]
    assert [i["voided"] for i in body["items"]] == [False, True, False]
    assert body["subtotal"] == order["subtotal"] - 7.0


async def test_cancelled_order_prints_cancelled_to_each_printer_that_printed_it(
    client: Client, services: Services
) -> None:
    await set_settings(services, "orders", autoPrintStatus="PENDING")
    with PrinterReceiver() as bar_printer, PrinterReceiver() as line_printer:
        headers, menu = await _two_stations(client, services, bar_printer.port, line_printer.port)
        order = await place(client, menu, [plain(menu.fries), plain(menu.soda)])
        bar_printer.wait_for(1)
        line_printer.wait_for(1)
        cancelled = await client.patch(
            f"/api/orders/{order['id']}/status", headers=headers, json={"status": "CANCELLED", "reason": "Guest left"}
        )
        assert cancelled.status_code == 200
        bar_change = bar_printer.wait_for(2)[1]
        line_change = line_printer.wait_for(2)[1]
    assert bar_change.line("CANCELLED").invert and bar_change.item_lines == ["VOID 1x Soda"]
    assert line_change.item_lines == ["VOID 1x Fries"]


async def test_reprint_is_marked_reprint(client: Client, services: Services) -> None:
    await set_settings(services, "orders", autoPrintStatus="PENDING")
    with PrinterReceiver() as bar_printer, PrinterReceiver() as line_printer:
        _, menu = await _two_stations(client, services, bar_printer.port, line_printer.port)
        order = await place(client, menu, [plain(menu.fries, comment="Peanut allergy, please take care")])
        first = line_printer.wait_for(1)[0]
        staff = await staff_headers(services)
        again = await client.post(f"/api/orders/{order['id']}/reprint", headers=staff, json={})
        assert again.status_code == 201, again.text
        assert [j["kind"] for j in again.json()["data"]] == ["REPRINT"]
        second = line_printer.wait_for(2)[1]
    assert not first.has("REPRINT")
    banner = second.line("REPRINT")
    assert banner.invert and banner.double_width
    assert second.item_lines == first.item_lines
    allergy = second.line("Peanut allergy")
    assert allergy.invert and allergy.bold
    assert second.job_id != first.job_id


async def test_58_and_80_mm_tickets_wrap_to_32_and_48_columns(client: Client, services: Services) -> None:
    await set_settings(services, "orders", autoPrintStatus="PENDING")
    headers = await staff_headers(services, "MANAGER")
    menu = await make_menu(services)
    note = "Please cut it into four pieces and leave the sauce on the side, thank you very much indeed"
    with PrinterReceiver() as narrow, PrinterReceiver() as wide:
        await printer(client, headers, "Narrow", narrow.port, widthMm=58)
        await printer(client, headers, "Wide", wide.port, widthMm=80)
        await place(client, menu, [plain(menu.fries, comment=note)])
        [small] = narrow.wait_for(1)
        [large] = wide.wait_for(1)
    for ticket, cols in ((small, 32), (large, 48)):
        for line in ticket.lines:
            limit = cols // 2 if line.double_width else cols
            assert len(line.text) <= limit, (cols, line)
        assert any(len(t) == cols for t in ticket.texts)  # the rule of dashes spans the paper
        words = " ".join(t.strip(" >") for t in ticket.item_lines[1:])
        assert words == note
    assert len(small.item_lines) > len(large.item_lines)


async def test_no_printers_means_no_print_jobs(client: Client, services: Services) -> None:
    await set_settings(services, "orders", autoPrintStatus="PENDING")
    menu = await make_menu(services)
    await place(client, menu, [plain(menu.fries)])
    assert await jobs(services) == []
