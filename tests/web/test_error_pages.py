"""Errors at a page's address answer an HTML page in the site's style, with the status and security headers of a
page; `/api/*` keeps the JSON envelope. The failing and refusing routes are registered on the real app by the test
(`tests/web/error_routes.py`)."""

from __future__ import annotations

import logging

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.app import create_app
from kitchenasty.core.config import BootSettings
from kitchenasty.services import Services
from tests.web.error_routes import BROKEN_API, BROKEN_PAGE, FAILURE, MANAGERS_PAGE, RAISING_PAGE, with_test_routes

Client = AsyncTestClient[Litestar]


@pytest.fixture
def app(boot: BootSettings) -> Litestar:
    return with_test_routes(create_app(boot))


def assert_error_page(response, status: int, heading: str) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["cache-control"] == "no-store"
    html = response.text
    assert '<html lang="en">' in html
    assert '<link rel="stylesheet" href="/static/app.css' in html
    assert f"<h1>{heading}</h1>" in html
    assert '<a class="btn btn-primary" href="/">Go to the menu</a>' in html
    assert "success" not in html
    return html


@pytest.mark.parametrize("path", ["/no-such-page", "/orders", "/admin/no-such-screen/items", "/no-such-page.html"])
async def test_unknown_page_answers_an_html_404_page(client: Client, services: Services, path: str) -> None:
    await services.settings.update_group("general", {"restaurantName": "Saffron & Sage"})
    html = assert_error_page(await client.get(path), 404, "Page not found")
    assert "<title>Page not found · Saffron &amp; Sage</title>" in html
    assert '<a class="brand" href="/">Saffron &amp; Sage</a>' in html
    assert "There is no page at this address." in html


@pytest.mark.parametrize("path", ["/api/nope", "/api/menu/nope", "/api"])
async def test_unknown_api_route_keeps_the_json_envelope(client: Client, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"success": False, "error": "Not Found", "code": "NOT_FOUND"}


async def test_missing_static_file_is_not_an_html_page(client: Client) -> None:
    response = await client.get("/static/js/missing.js")
    assert response.status_code == 404
    assert not response.headers["content-type"].startswith("text/html")


async def test_wrong_method_on_a_page_answers_an_html_405(client: Client) -> None:
    response = await client.post("/kitchen")
    assert_error_page(response, 405, "That did not work")
    assert "GET" in response.headers["allow"]
    api = await client.post("/api/health")
    assert api.status_code == 405
    assert (api.json()["success"], api.json()["code"]) == (False, "METHOD_NOT_ALLOWED")


async def test_unexpected_error_on_a_page_answers_an_html_500_and_is_logged_once(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="kitchenasty"):
        response = await client.get(BROKEN_PAGE)
    html = assert_error_page(response, 500, "Something went wrong")
    assert "Please try again in a moment." in html
    assert FAILURE not in html
    assert "Traceback" not in html
    logged = [r for r in caplog.records if r.name.startswith("kitchenasty")]
    assert [(r.getMessage(), r.levelno) for r in logged] == [("unhandled error", logging.ERROR)]
    assert logged[0].exc_info is not None
    assert str(logged[0].exc_info[1]) == FAILURE


async def test_unexpected_error_in_the_api_keeps_the_json_envelope(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="kitchenasty"):
        response = await client.get(BROKEN_API)
    assert response.status_code == 500
    assert response.json() == {"success": False, "error": "Internal Server Error", "code": "INTERNAL_ERROR"}
    assert len([r for r in caplog.records if r.getMessage() == "unhandled error"]) == 1


async def test_page_route_refusal_answers_the_html_403_page(client: Client) -> None:
    html = assert_error_page(await client.get(MANAGERS_PAGE), 403, "You are not allowed here")
    assert "Your account cannot open this page. Ask a manager if you need it." in html
    # A domain refusal raised by a page route: its own sentence on the same page.
    raised = assert_error_page(await client.get(RAISING_PAGE), 403, "You are not allowed here")
    assert "<p>Only managers can open the menu editor.</p>" in raised
    assert "MANAGERS_ONLY" not in raised


async def test_error_page_names_the_live_sockets_of_this_host(client: Client) -> None:
    response = await client.get("/no-such-page", headers={"Host": "192.168.1.20:8000"})
    csp = response.headers["content-security-policy"]
    assert "connect-src 'self' ws://192.168.1.20:8000 wss://192.168.1.20:8000" in csp


async def test_error_page_escapes_the_restaurant_name(client: Client, services: Services) -> None:
    await services.settings.update_group("general", {"restaurantName": "<script>alert(1)</script>"})
    html = (await client.get("/no-such-page")).text
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


async def test_head_of_an_unknown_page_is_a_bodiless_404(client: Client) -> None:
    response = await client.head("/no-such-page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert response.content == b""
