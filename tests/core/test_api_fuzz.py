"""Schemathesis over the whole API, as `/api/openapi.json` describes it: every operation anonymously, then every
operation again as a SUPER_ADMIN, against the real app on a real uvicorn. No response may be a server error, and
each must match the document (status code listed, body valid against its schema, content type, headers).

Schemathesis runs as its own command (`tests/core/fuzz/schemathesis.toml` holds the settings: a fixed seed, the
examples, coverage, fuzzing and stateful phases, 12 generated cases per operation and mode), so its findings read as
they would by hand and can be replayed the same way. The requests the app answered are counted at the server and
printed in pytest's closing summary. Mail goes to a local SMTP server; no body names another host (the hooks).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.types import Receive, Scope, Send

from kitchenasty.app import create_app
from kitchenasty.core.config import load_boot_settings
from tests.conftest import FUZZ_REQUESTS, TEST_ENV, make_data_dir
from tests.factories import bearer
from tests.realtime.helpers import World, build_world, run_sync
from tests.servers import SMTPServer, UvicornThread

pytestmark = [pytest.mark.fuzz, pytest.mark.slow]

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG_FILE = Path(__file__).resolve().parent / "fuzz" / "schemathesis.toml"
RUN_TIMEOUT_SECONDS = 300
# The admin run keeps its session: logout ends it (and revokes the token).
ADMIN_EXCLUDED = ["--exclude-path", "/api/auth/logout"]


class CountingApp:
    """The app as uvicorn sees it, counting the HTTP requests it is handed."""

    def __init__(self, app: Litestar) -> None:
        self.app = app
        self.requests = 0

    @property
    def state(self) -> Any:
        """The app's state (`UvicornThread` reads the boot settings from it)."""
        return self.app.state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.requests += 1
        await self.app(scope, receive, send)


@dataclass
class FuzzServer:
    base_url: str
    world: World
    counter: CountingApp
    reports: Path
    config: Path


def seed_through_the_api(base_url: str, world: World, smtp: SMTPServer) -> dict[str, list[str]]:
    """Real rows for the reads to return: mail on the local SMTP server (order confirmations and the mail test
    have somewhere to go), throttles off, an order, a coupon, an automation rule and an invitation. Returns real
    identifiers by the parameter they fill, so that half the generated cases reach existing resources."""
    admin = bearer(world.admin_token)
    mail = {"smtpHost": "127.0.0.1", "smtpPort": smtp.port, "encryption": "none", "senderEmail": "k@example.com"}
    rule = {
        "name": "Tell the kitchen",
        "event": "order.created",
        "actions": [{"type": "email", "to": "kitchen@example.com", "subject": "New order"}],
    }
    with httpx.Client(base_url=base_url, timeout=10) as guest, httpx.Client(base_url=base_url, headers=admin) as http:

        def data(response: httpx.Response) -> Any:
            assert response.status_code in (200, 201), response.text
            return response.json()["data"]

        data(http.put("/api/settings/mail", json=mail))
        # Throttles would turn most cases on the throttled routes into 429s and leave their logic untested.
        data(http.put("/api/settings/advanced", json={"enableRateLimiting": False}))
        order = data(guest.post("/api/orders", json=world.order_body()))
        coupon = data(http.post("/api/coupons", json={"code": "FUZZ10", "type": "PERCENTAGE", "value": 10}))
        rule_id = data(http.post("/api/automation-rules", json=rule))["id"]
        invite = data(http.post("/api/staff/invite", json={"email": "new.cook@example.com"}))
        location = data(http.get(f"/api/locations/{world.location_id}"))
        staff = data(http.get("/api/staff", params={"role": "STAFF"}))
        categories = data(http.get("/api/menu/categories", params={"locationId": world.location_id}))
        allergens = data(http.get("/api/menu/allergens"))
        mealtimes = data(http.get("/api/menu/mealtimes"))
        deliveries = data(http.get("/api/automation/deliveries"))
    items = [item["id"] for item in world.items.values()]
    return {
        "location_id": [world.location_id],
        "locationId": [world.location_id],
        "table_id": [table["id"] for table in location["tables"]],
        "category_id": [category["id"] for category in categories],
        "categoryId": [category["id"] for category in categories],
        "item_id": items,
        "menuItemId": items,
        "allergen_id": [allergen["id"] for allergen in allergens],
        "mealtime_id": [mealtime["id"] for mealtime in mealtimes],
        "coupon_id": [coupon["id"]],
        "code": [coupon["code"]],
        "order_id": [order["id"]],
        "t": [order["trackingToken"]],
        "rule_id": [rule_id],
        "delivery_id": [delivery["id"] for delivery in deliveries] or [order["id"]],
        "staff_id": [member["id"] for member in staff],
        "token": [invite["token"]],
    }


# Where each real identifier goes: a path or query parameter, or a field of a body (`[*]`: any list entry).
BINDINGS = {
    "path.location_id": "location_id",
    "path.table_id": "table_id",
    "path.category_id": "category_id",
    "path.item_id": "item_id",
    "path.allergen_id": "allergen_id",
    "path.mealtime_id": "mealtime_id",
    "path.coupon_id": "coupon_id",
    "path.order_id": "order_id",
    "path.rule_id": "rule_id",
    "path.delivery_id": "delivery_id",
    "path.staff_id": "staff_id",
    "path.token": "token",
    "query.t": "t",
    "query.locationId": "locationId",
    "query.categoryId": "categoryId",
    "body.locationId": "locationId",
    "body.categoryId": "categoryId",
    "body.code": "code",
    "body.items[*].menuItemId": "menuItemId",
}


def config_with(ids: dict[str, list[str]], target: Path) -> Path:
    """The checked-in settings plus dictionaries of this run's real identifiers (drawn for half the cases)."""
    lines = [CONFIG_FILE.read_text(), ""]
    for name, values in ids.items():
        lines.append(f"[dictionaries.{name}]\nvalues = {json.dumps(values)}\n")
    lines.append("[parameters]")
    lines += [f'"{key}" = {{ dictionary = "{name}", probability = 0.5 }}' for key, name in BINDINGS.items()]
    target.write_text("\n".join(lines) + "\n")
    return target


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory, template_db: Path) -> Iterator[FuzzServer]:
    root = tmp_path_factory.mktemp("fuzz")
    data_dir = make_data_dir(root, template_db)
    world = run_sync(build_world(load_boot_settings(data_dir, env=dict(TEST_ENV))))
    counter = CountingApp(create_app(load_boot_settings(data_dir, env=dict(TEST_ENV))))
    with SMTPServer() as smtp, UvicornThread(counter) as server:  # type: ignore[arg-type]
        ids = seed_through_the_api(server.base_url, world, smtp)
        config = config_with(ids, root / "schemathesis.toml")
        yield FuzzServer(base_url=server.base_url, world=world, counter=counter, reports=root, config=config)


def run_schemathesis(server: FuzzServer, who: str, *extra: str) -> dict[str, Any]:
    """One Schemathesis run over every operation; returns its JSON report and records how many requests it made."""
    report = server.reports / f"{who}.json"
    before = server.counter.requests
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(server.config),
        "run",
        f"{server.base_url}/api/openapi.json",
        "--report",
        "json",
        "--report-json-path",
        str(report),
        "--no-color",
        *extra,
    ]
    done = subprocess.run(
        command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT_SECONDS, check=False
    )
    (server.reports / f"{who}.txt").write_text(done.stdout + done.stderr)
    output = done.stdout[-20_000:] + done.stderr[-5_000:]
    assert report.exists(), f"Schemathesis did not finish ({done.returncode}):\n{output}"
    result: dict[str, Any] = json.loads(report.read_text())
    result["requests"] = server.counter.requests - before
    print(f"\nSchemathesis ({who}): {result['requests']} requests, {result['test_cases']['generated']} cases")
    assert done.returncode == 0, f"Schemathesis found problems ({who}):\n{output}"
    return result


def assert_clean(result: dict[str, Any], who: str, config: pytest.Config) -> None:
    assert result["failures"] == [], result["failures"]
    assert result["errors"] == [], result["errors"]
    assert result["operations"]["errored"] == 0
    assert result["operations"]["tested"] == result["operations"]["selected"] > 70
    assert result["requests"] >= result["test_cases"]["generated"] > 1000
    config.stash.setdefault(FUZZ_REQUESTS, {})[who] = result["requests"]


def test_api_anonymous_answers_as_documented(fuzz_server: FuzzServer, pytestconfig: pytest.Config) -> None:
    result = run_schemathesis(fuzz_server, "anonymous")
    assert_clean(result, "anonymous", pytestconfig)


def test_api_as_admin_answers_as_documented(fuzz_server: FuzzServer, pytestconfig: pytest.Config) -> None:
    admin = f"Authorization: Bearer {fuzz_server.world.admin_token}"
    result = run_schemathesis(fuzz_server, "SUPER_ADMIN", "--header", admin, *ADMIN_EXCLUDED)
    assert_clean(result, "SUPER_ADMIN", pytestconfig)
    me = httpx.get(f"{fuzz_server.base_url}/api/auth/me", headers=bearer(fuzz_server.world.admin_token), timeout=10)
    assert me.status_code == 200, "the admin run ended its own session"
