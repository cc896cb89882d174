"""The outbound guard: webhooks and SMS never reach this box or its network (SSRF), at save time and at send time.

This module's app runs without the test allowlist (`outbound_allowed_hosts`), as a real install does by default,
so the receivers on 127.0.0.1 are refused unless a test adds the allowlist back.
"""

from __future__ import annotations

import ipaddress
import json
import ssl
from pathlib import Path

import pytest
import trustme
from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.core import http_out
from kitchenasty.core.config import ConfigError, load_boot_settings
from kitchenasty.core.outbound import PRIVATE, OutboundPolicy, TargetRefused, refusal
from kitchenasty.core.outbox import OutboxMessage
from kitchenasty.services import Services
from tests.automation.conftest import ALLOWLIST
from tests.automation.helpers import create_rule, deliveries, status_changed
from tests.factories import staff_headers
from tests.servers import HTTPReceiver, eventually


@pytest.fixture
def env(env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if k != ALLOWLIST}


def webhook_rule(url: str) -> dict[str, object]:
    return {"name": "hook", "event": "order.statusChanged", "actions": [{"type": "webhook", "url": url}]}


async def settled(services: Services) -> OutboxMessage:
    async def check() -> OutboxMessage | None:
        rows = await deliveries(services)
        return rows[0] if rows and rows[0].status in ("SENT", "FAILED") else None

    return await eventually(check)


# ---------------------------------------------------------------- which addresses


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "a loopback address"),
        ("127.255.0.9", "a loopback address"),
        ("::1", "a loopback address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("0.0.0.0", "an unspecified address"),  # noqa: S104 - an address checked, not bound
        ("0.1.2.3", "an unspecified address"),
        ("::", "an unspecified address"),
        ("169.254.169.254", "a link-local address"),
        ("::ffff:169.254.169.254", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("224.0.0.251", "a multicast address"),
        ("ff02::1", "a multicast address"),
        ("10.1.2.3", PRIVATE),
        ("172.16.0.1", PRIVATE),
        ("192.168.1.20", PRIVATE),
        ("100.64.0.1", PRIVATE),
        ("fd12:3456::1", PRIVATE),
        ("::ffff:192.168.1.20", PRIVATE),
        ("240.0.0.1", "a reserved address"),
        ("255.255.255.255", "a reserved address"),
        ("192.0.2.10", "a reserved address"),
        ("93.184.215.14", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_outbound_refusal_names_the_kind_of_address(address: str, reason: str | None) -> None:
    assert refusal(ipaddress.ip_address(address)) == reason


async def test_outbound_private_ranges_only_when_allowed_and_never_loopback() -> None:
    async def yes() -> bool:
        return True

    with pytest.raises(TargetRefused, match=r"^refused: 10\.0\.0\.5 is a private network address$"):
        await OutboundPolicy().addresses("10.0.0.5", 80)
    assert await OutboundPolicy(allow_private=yes).addresses("10.0.0.5", 80) == ["10.0.0.5"]
    with pytest.raises(TargetRefused, match="loopback"):
        await OutboundPolicy(allow_private=yes).addresses("127.0.0.1", 80)
    with pytest.raises(TargetRefused, match="link-local"):
        await OutboundPolicy(allow_private=yes).addresses("169.254.169.254", 80)


async def test_outbound_allowlist_entries_match_host_and_port() -> None:
    policy = OutboundPolicy(["127.0.0.1:9000", "localhost", "[::1]:8443"])
    assert await policy.addresses("127.0.0.1", 9000) == ["127.0.0.1"]
    assert await policy.addresses("2130706433", 9000) == ["127.0.0.1"]  # the resolved address is the entry
    assert await policy.addresses("localhost", 1234) == ["127.0.0.1"]
    assert await policy.addresses("::1", 8443) == ["::1"]
    for host, port in (("127.0.0.1", 9001), ("::1", 80), ("0.0.0.0", 9000)):  # noqa: S104 - checked, not bound
        with pytest.raises(TargetRefused):
            await policy.addresses(host, port)


def test_outbound_allowlist_is_a_boot_setting_from_toml_or_env(tmp_path: Path) -> None:
    env = {ALLOWLIST: "127.0.0.1:9000, POS.lan"}
    assert load_boot_settings(tmp_path, env=env).outbound_allowed_hosts == ("127.0.0.1:9000", "pos.lan")
    (tmp_path / "kitchenasty.toml").write_text('[outbound]\nallowed_hosts = ["[::1]:8080", "hooks.lan"]\n')
    assert load_boot_settings(tmp_path, env=env).outbound_allowed_hosts == ("[::1]:8080", "hooks.lan")
    assert load_boot_settings(tmp_path / "none", env={}).outbound_allowed_hosts == ()
    with pytest.raises(ConfigError, match="'http://x/' is not a host or host:port entry"):
        load_boot_settings(tmp_path / "none", env={ALLOWLIST: "http://x/"})


# ---------------------------------------------------------------- the client


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "2130706433", "0x7f.1", "017700000001", "127.1", "[::ffff:127.0.0.1]", "localhost", "0.0.0.0"],  # noqa: S104
)
async def test_outbound_client_refuses_this_box_however_it_is_spelled(host: str) -> None:
    with HTTPReceiver() as receiver:
        async with http_out.new_client(OutboundPolicy()) as client:
            with pytest.raises(TargetRefused, match=r"^refused: .* (is|resolves to) an? (loopback|unspecified) addr"):
                await http_out.post_webhook(
                    client,
                    url=f"http://{host}:{receiver.port}/hook",
                    body=b"{}",
                    secret="k",
                    event="e",
                    delivery_id="d",
                )
        assert receiver.requests == []


async def test_outbound_client_ignores_proxies_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    with HTTPReceiver() as proxy, HTTPReceiver() as target:
        for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.setenv(name, proxy.url)
        async with http_out.new_client(OutboundPolicy([f"127.0.0.1:{target.port}"])) as client:
            await http_out.post_webhook(
                client, url=f"{target.url}/hook", body=b"{}", secret="k", event="e", delivery_id="d"
            )
        assert [r.path for r in target.requests] == ["/hook"]
        assert proxy.requests == []


# ---------------------------------------------------------------- save time


@pytest.mark.parametrize(
    ("url", "detail"),
    [
        ("http://127.0.0.1:8000/api/health", "127.0.0.1 is a loopback address"),
        ("http://localhost:8000/", "localhost resolves to a loopback address"),
        ("http://2130706433/", "2130706433 resolves to a loopback address"),
        ("http://[::1]/", "::1 is a loopback address"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1 is a loopback address"),
        ("http://0.0.0.0:8000/", "0.0.0.0 is an unspecified address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://[fe80::1]/", "fe80::1 is a link-local address"),
        ("https://192.168.1.20/hook", "192.168.1.20 is a private network address"),
    ],
)
async def test_rules_api_refuses_a_webhook_to_this_box_or_its_network(
    client: AsyncTestClient[Litestar], services: Services, url: str, detail: str
) -> None:
    manager = await staff_headers(services, "MANAGER")
    response = await client.post("/api/automation-rules", headers=manager, json=webhook_rule(url))
    assert response.status_code == 400, response.text
    body = response.json()
    assert (body["success"], body["code"]) == (False, "TARGET_REFUSED")
    assert body["error"].startswith(f"actions[0].url is not allowed: {detail}. ")
    assert (await client.get("/api/automation-rules", headers=manager)).json()["data"] == []


async def test_rules_api_refuses_a_patch_to_a_refused_target_and_keeps_the_rule(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    manager = await staff_headers(services, "MANAGER")
    rule = await create_rule(client, manager, **webhook_rule("https://hooks.example.com/in"))
    response = await client.patch(
        f"/api/automation-rules/{rule['id']}",
        headers=manager,
        json={"actions": [{"type": "webhook", "url": "http://localhost:8000/api/staff"}]},
    )
    assert (response.status_code, response.json()["code"]) == (400, "TARGET_REFUSED")
    kept = await client.get(f"/api/automation-rules/{rule['id']}", headers=manager)
    assert kept.json()["data"]["actions"] == [{"type": "webhook", "url": "https://hooks.example.com/in"}]


async def test_rules_api_private_targets_need_the_advanced_setting(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    manager = await staff_headers(services, "MANAGER")
    refused = await client.put("/api/settings/advanced", headers=manager, json={"allowPrivateNetworkTargets": True})
    assert refused.status_code == 403
    unknown = await client.put("/api/settings/advanced", headers=admin, json={"outboundAllowedHosts": ["127.0.0.1"]})
    assert (unknown.status_code, unknown.json()["code"]) == (400, "UNKNOWN_SETTING")
    saved = await client.put("/api/settings/advanced", headers=admin, json={"allowPrivateNetworkTargets": True})
    assert saved.status_code == 200

    await create_rule(client, manager, **webhook_rule("http://10.0.0.5:8080/pos"))
    loopback = await client.post("/api/automation-rules", headers=manager, json=webhook_rule("http://127.0.0.1/"))
    assert loopback.status_code == 400
    assert "127.0.0.1 is a loopback address" in loopback.json()["error"]


@pytest.mark.parametrize("url", ["http://hooks.example:abc/", "http://hooks.example:99999/", "http://xn--zz/"])
async def test_rules_api_refuses_a_webhook_url_the_client_could_not_use(
    client: AsyncTestClient[Litestar], services: Services, url: str
) -> None:
    manager = await staff_headers(services, "MANAGER")
    response = await client.post("/api/automation-rules", headers=manager, json=webhook_rule(url))
    assert response.status_code == 400, response.text
    assert (response.json()["code"], response.json()["error"]) == (
        "INVALID_RULE",
        f"actions[0].url {url!r} is not a valid URL",
    )


async def test_rules_api_accepts_a_name_that_does_not_resolve_yet(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    manager = await staff_headers(services, "MANAGER")
    rule = await create_rule(client, manager, **webhook_rule("https://pos.does-not-exist.invalid/hook"))
    assert rule["actions"][0]["url"] == "https://pos.does-not-exist.invalid/hook"


# ---------------------------------------------------------------- send time


async def test_delivery_to_this_box_fails_at_once_with_our_reason(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    manager = await staff_headers(services, "MANAGER")
    with HTTPReceiver() as receiver:
        async with services.db.transaction() as session:  # a rule saved before the guard, or DNS changed since
            session.add(OutboxMessage(channel="webhook", source="rule", recipient=f"{receiver.url}/hook", body="{}"))
        delivery = await settled(services)
        assert receiver.requests == []
    assert (delivery.status, delivery.attempts) == ("FAILED", 1)
    assert delivery.last_error == "refused: 127.0.0.1 is a loopback address"
    listed = await client.get("/api/automation/deliveries", headers=manager)
    assert listed.json()["data"][0]["lastError"] == "refused: 127.0.0.1 is a loopback address"


async def test_delivery_to_a_private_target_is_refused_once_the_setting_is_off(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    await client.put("/api/settings/advanced", headers=admin, json={"allowPrivateNetworkTargets": True})
    await create_rule(client, admin, **webhook_rule("http://10.0.0.5:8080/pos"))
    await client.put("/api/settings/advanced", headers=admin, json={"allowPrivateNetworkTargets": False})

    await status_changed(services, "READY")

    delivery = await settled(services)
    assert (delivery.status, delivery.attempts) == ("FAILED", 1)
    assert delivery.last_error == "refused: 10.0.0.5 is a private network address"


async def test_sms_through_an_api_on_this_box_is_refused(client: AsyncTestClient[Litestar], services: Services) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    with HTTPReceiver() as twilio:
        await client.put(
            "/api/settings/advanced",
            headers=admin,
            json={
                "smsBaseUrl": f"http://localhost:{twilio.port}",
                "smsAccountSid": "AC1",
                "smsAuthToken": "token-123456789",
                "smsFromNumber": "+15550000",
            },
        )
        await create_rule(
            client, admin, event="order.statusChanged", actions=[{"type": "sms", "to": "customer", "body": "Hi"}]
        )
        await status_changed(services, "READY")
        delivery = await settled(services)
        assert twilio.requests == []
    assert (delivery.channel, delivery.status) == ("sms", "FAILED")
    assert delivery.last_error == "refused: localhost resolves to a loopback address"


# ---------------------------------------------------------------- what lastError shows


async def test_last_error_shows_the_status_and_our_reason_never_the_answer(app_factory) -> None:  # type: ignore[no-untyped-def]
    app: Litestar = app_factory({ALLOWLIST: "127.0.0.1", "KITCHENASTY_OUTBOX_MAX_ATTEMPTS": "1"})
    services: Services = app.state.services
    leak = json.dumps({"error": "db password is hunter2", "env": {"AWS_SECRET": "abc"}}).encode()
    with HTTPReceiver(responses=[500], body=leak, headers={"X-Debug": "hunter2"}) as receiver:
        async with AsyncTestClient(app=app) as client:
            manager = await staff_headers(services, "MANAGER")
            await create_rule(client, manager, **webhook_rule(f"{receiver.url}/hook"))
            await status_changed(services, "READY")
            delivery = await settled(services)
            listed = await client.get("/api/automation/deliveries", headers=manager)
    assert delivery.last_error == "HTTP 500 from 127.0.0.1: server error"
    assert listed.json()["data"][0]["lastError"] == "HTTP 500 from 127.0.0.1: server error"


async def test_sms_last_error_shows_the_status_and_our_reason_never_the_answer(app_factory) -> None:  # type: ignore[no-untyped-def]
    app: Litestar = app_factory({ALLOWLIST: "127.0.0.1", "KITCHENASTY_OUTBOX_MAX_ATTEMPTS": "1"})
    services: Services = app.state.services
    answer = b'{"code": 21211, "message": "The To number +15550101 is not valid; account AC1 owner ana@x"}'
    with HTTPReceiver(responses=[400], body=answer) as twilio:
        async with AsyncTestClient(app=app) as client:
            admin = await staff_headers(services, "SUPER_ADMIN")
            await client.put(
                "/api/settings/advanced",
                headers=admin,
                json={
                    "smsBaseUrl": twilio.url,
                    "smsAccountSid": "AC1",
                    "smsAuthToken": "token-123456789",
                    "smsFromNumber": "+15550000",
                },
            )
            await create_rule(
                client, admin, event="order.statusChanged", actions=[{"type": "sms", "to": "customer", "body": "Hi"}]
            )
            await status_changed(services, "READY")
            delivery = await settled(services)
    assert (delivery.status, delivery.last_error) == ("FAILED", "HTTP 400 from 127.0.0.1: request refused")


async def test_outbound_client_connects_to_the_checked_address_and_verifies_the_url_host_name() -> None:
    ca = trustme.CA()
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(server_tls)  # a certificate for the name only, not for 127.0.0.1
    client_tls = ssl.create_default_context()
    ca.configure_trust(client_tls)
    with HTTPReceiver(tls=server_tls) as receiver:
        policy = OutboundPolicy(["localhost", "127.0.0.1"])
        async with http_out.new_client(policy, verify=client_tls) as client:
            status = await http_out.post_webhook(
                client,
                url=f"https://localhost:{receiver.port}/hook",
                body=b"{}",
                secret="k",
                event="e",
                delivery_id="d",
            )
            with pytest.raises(
                http_out.OutgoingError, match=r"^cannot reach 127\.0\.0\.1: its TLS certificate is not valid"
            ):
                await http_out.post_webhook(
                    client, url=f"{receiver.url}/hook", body=b"{}", secret="k", event="e", delivery_id="d"
                )
        assert status == 200
        assert [r.path for r in receiver.requests] == ["/hook"]
