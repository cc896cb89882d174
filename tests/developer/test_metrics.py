"""Request metrics: counted in memory per endpoint and hour, flushed to the database, read back per hour and per
endpoint (with what was not flushed yet)."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.core.metrics import RequestMetrics
from kitchenasty.developer.service import p95
from kitchenasty.services import Services
from tests.factories import staff_headers


async def test_requests_are_counted_per_endpoint_with_errors_and_latency(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    manager = await staff_headers(services, "MANAGER")
    for _ in range(3):
        assert (await client.get("/api/health")).status_code == 200
    assert (await client.get("/api/menu/items/nope")).status_code == 404
    await services.db.run_write(services.metrics.flush_in)  # as the minute's flush does
    assert (await client.get("/api/health")).status_code == 200  # not flushed: still counted

    endpoints = (await client.get("/api/developer/metrics/endpoints", headers=manager)).json()["data"]
    by_path = {(e["method"], e["path"]): e for e in endpoints}
    health = by_path[("GET", "/api/health")]
    assert health["count"] == 4
    assert health["errors"] == 0
    assert health["p95ResponseTime"] > 0
    assert by_path[("GET", "/api/menu/items/{item_id}")]["count"] == 1

    summary = (await client.get("/api/developer/metrics", headers=manager, params={"hours": 1})).json()["data"]
    assert summary["summary"]["totalRequests"] >= 6
    assert summary["summary"]["errorCount"] == 0
    assert len(summary["hourly"]) == 1
    assert (await client.get("/api/developer/metrics", headers=manager, params={"hours": 0})).status_code == 400


def test_server_errors_are_counted_and_p95_is_read_from_the_buckets() -> None:
    metrics = RequestMetrics()
    for ms in (0.5,) * 90 + (15.0,) * 9 + (700.0,):
        metrics.observe("GET", "/x", 200, ms, now=3600 * 10 + 5)
    metrics.observe("GET", "/x", 503, 3.0, now=3600 * 10 + 6)
    [counter] = metrics.pending().values()
    assert (counter.requests, counter.errors) == (101, 1)
    assert p95(counter.buckets) == 20.0  # the 96th fastest of 101 took 15 ms: the (10, 20] bucket
