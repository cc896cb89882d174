"""The outbox screen's API (issue 13): deliveries filtered by status and channel, failures marked seen, and every
failed delivery sent again at once, each then delivered once with the receiver's answer kept."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update

from kitchenasty.core import outbox
from kitchenasty.services import Services
from tests.automation.helpers import deliveries
from tests.factories import staff_headers
from tests.servers import HTTPReceiver, eventually


async def failed_webhook(services: Services, url: str) -> str:
    row = outbox.message_row(channel="webhook", source="rule", recipient=url, subject="order.created", body="{}")
    await services.db.run_write(lambda session: outbox.insert_messages(session, [row]))
    async with services.db.transaction() as session:
        await session.execute(
            update(outbox.OutboxMessage)
            .where(outbox.OutboxMessage.id == row["id"])
            .values(status="FAILED", attempts=8, last_error="HTTP 503 from 127.0.0.1: server error")
        )
    return row["id"]


async def test_failed_deliveries_are_filtered_seen_and_retried_all_at_once(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    with HTTPReceiver() as receiver:
        first = await failed_webhook(services, receiver.url)
        second = await failed_webhook(services, receiver.url)
        headers = await staff_headers(services, "MANAGER")

        async def listed(**params: str) -> list[str]:
            response = await client.get("/api/automation/deliveries", headers=headers, params=params)
            assert response.status_code == 200, response.text
            return sorted(d["id"] for d in response.json()["data"])

        assert await listed(status="FAILED") == sorted([first, second])
        assert await listed(status="FAILED", channel="webhook") == sorted([first, second])
        assert await listed(status="FAILED", channel="email") == []
        assert await listed(status="SENT") == []
        bad = await client.get("/api/automation/deliveries", headers=headers, params={"status": "LOST"})
        assert bad.status_code == 400

        seen = await client.post("/api/automation/deliveries/failures/seen", headers=headers)
        assert seen.json()["data"] == {"count": 2}
        again = await client.post("/api/automation/deliveries/failures/seen", headers=headers)
        assert again.json()["data"] == {"count": 0}

        retried = await client.post("/api/automation/deliveries/retry-failed", headers=headers)

        assert retried.status_code == 200
        assert retried.json()["data"] == {"count": 2}

        async def all_sent() -> list[outbox.OutboxMessage] | None:
            rows = await deliveries(services)
            return rows if all(r.status == "SENT" for r in rows) else None

        done = await eventually(all_sent)
        assert {(r.id, r.attempts, r.last_response) for r in done} == {
            (first, 1, "HTTP 200"),
            (second, 1, "HTTP 200"),
        }
        assert len(receiver.requests) == 2
        assert await listed(status="SENT") == sorted([first, second])
        nothing = await client.post("/api/automation/deliveries/retry-failed", headers=headers)
        assert nothing.json()["data"] == {"count": 0}
