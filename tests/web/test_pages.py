"""The page shells and static files over HTTP: security headers, settings rendered in, escaping, package assets."""

from __future__ import annotations

import json
import re

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.core.paths import STATIC_DIR, TEMPLATES_DIR
from kitchenasty.services import Services

PAGES = (
    "/",
    "/kitchen",
    "/track/some-order-id",
    "/book",
    "/reservations/manage/some-id?t=abc",
    "/staff/accept-invite?token=abc",
    "/reset-password?token=abc",
)


def page_config(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="page-config">(.*?)</script>', html, re.S)
    assert match, "page config missing"
    return json.loads(match.group(1))


@pytest.mark.parametrize("path", PAGES)
async def test_pages_are_served_with_a_strict_content_security_policy(
    client: AsyncTestClient[Litestar], path: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    html = response.text
    assert '<link rel="stylesheet" href="/static/app.css' in html
    assert re.search(r'<script type="module" src="/static/js/\w+\.js', html)
    assert '<html lang="en">' in html
    assert 'name="viewport"' in html


async def test_page_policy_names_the_live_sockets_of_this_host(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/kitchen", headers={"Host": "192.168.1.20:8000"})
    assert (
        "connect-src 'self' ws://192.168.1.20:8000 wss://192.168.1.20:8000"
        in response.headers["content-security-policy"]
    )
    # Only a plain host[:port] is ever written into the policy.
    hostile = await client.get("/kitchen", headers={"Host": "x.example; script-src *"})
    assert hostile.status_code == 400
    odd = await client.get("/kitchen", headers={"Host": "under_score.example"})
    assert odd.status_code == 200
    assert odd.headers["content-security-policy"].endswith("connect-src 'self'")


async def test_kitchen_page_carries_the_timer_thresholds_from_the_settings(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    defaults = page_config((await client.get("/kitchen")).text)
    assert (defaults["warnMinutes"], defaults["lateMinutes"]) == (10, 20)
    await services.settings.update_group("orders", {"kitchenWarnMinutes": 8, "kitchenLateMinutes": 15})
    config = page_config((await client.get("/kitchen")).text)
    assert (config["warnMinutes"], config["lateMinutes"]) == (8, 15)


async def test_pages_carry_only_public_settings(client: AsyncTestClient[Litestar], services: Services) -> None:
    await services.settings.update_group("orders", {"enableTipping": True, "tipOptions": [5, 10]})
    config = page_config((await client.get("/")).text)
    assert config["page"] == "storefront"
    assert config["site"]["orders"]["enableTipping"] is True
    assert config["site"]["orders"]["tipOptions"] == [5, 10]
    assert set(config["site"]) <= {"general", "orders", "payments", "advanced"}
    assert "mail" not in config["site"]


async def test_restaurant_name_is_escaped_on_every_page(client: AsyncTestClient[Litestar], services: Services) -> None:
    hostile = "</script><script>alert(1)</script> & Co"
    await services.settings.update_group("general", {"restaurantName": hostile})
    for path in PAGES:
        html = (await client.get(path)).text
        assert "<script>alert(1)" not in html
        assert page_config(html)["site"]["general"]["restaurantName"] == hostile


async def test_track_page_knows_its_order_id(client: AsyncTestClient[Litestar]) -> None:
    config = page_config((await client.get("/track/abc123")).text)
    assert (config["page"], config["orderId"]) == ("track", "abc123")


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/static/app.css", "text/css"),
        ("/static/js/common.js", "text/javascript"),
        ("/static/js/kitchen.js", "text/javascript"),
        ("/static/js/storefront.js", "text/javascript"),
        ("/static/js/track.js", "text/javascript"),
        ("/static/js/account.js", "text/javascript"),
        ("/static/vendor/uplot/uPlot.esm.js", "text/javascript"),
        ("/static/vendor/uplot/uPlot.min.css", "text/css"),
    ],
)
async def test_static_files_are_served_from_the_package(
    client: AsyncTestClient[Litestar], path: str, media_type: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] in (media_type, "application/javascript")
    assert response.content == (STATIC_DIR / path.removeprefix("/static/")).read_bytes()


@pytest.mark.parametrize("path", ["/static/missing.js", "/static/../routes.py", "/static/%2e%2e/routes.py"])
async def test_static_files_outside_the_package_folder_are_not_found(
    client: AsyncTestClient[Litestar], path: str
) -> None:
    assert (await client.get(path)).status_code == 404


def _without_comments(text: str) -> str:
    """A vendored library's code without its comments (licence headers and notes cite their sources' URLs, which
    load nothing): block comments, whole-line `//` comments and trailing ` // …` ones."""
    text = re.sub(r"/\*[\s\S]*?\*/", "", text)
    text = re.sub(r"(?m)^\s*//.*$", "", text)
    return re.sub(r"(?m)[ \t]//[^'\"`\n]*$", "", text)


def test_pages_and_assets_load_nothing_from_other_hosts() -> None:
    shipped = [*TEMPLATES_DIR.rglob("*.html"), *STATIC_DIR.rglob("*.js"), *STATIC_DIR.rglob("*.css")]
    assert shipped
    vendor = STATIC_DIR / "vendor"
    for path in shipped:
        text = path.read_text()
        if path.is_relative_to(vendor):
            text = _without_comments(text)
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text, re.I), f"{path} refers to another host"
        assert "@import" not in text


def test_every_asset_a_page_refers_to_is_shipped() -> None:
    for template in TEMPLATES_DIR.glob("*.html"):
        for block in re.findall(r"\{% block script %\}(\w+)\{% endblock %\}", template.read_text()):
            assert (STATIC_DIR / "js" / f"{block}.js").is_file(), f"{template.name} loads a missing {block}.js"
    for module in (STATIC_DIR / "js").glob("*.js"):
        for imported in re.findall(r'from "\./([\w.-]+)"', module.read_text()):
            assert (STATIC_DIR / "js" / imported).is_file(), f"{module.name} imports a missing {imported}"
    assert (STATIC_DIR / "app.css").is_file()
