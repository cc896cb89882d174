"""The login throttle and forwarded headers on a real uvicorn: failures count per account and per client address;
`X-Forwarded-For` names the client only when it comes from a proxy listed in `trusted_proxies` (none by default)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from litestar import Litestar

from kitchenasty.cli.serve import UVICORN_SETTINGS, proxy_settings
from kitchenasty.core.config import ConfigError, load_boot_settings
from tests.factories import PASSWORD, make_staff
from tests.servers import serve

AppFactory = Callable[[dict[str, str] | None], Litestar]
WRONG = "wrong-password"


@asynccontextmanager
async def running(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    with serve(app) as server:
        # as the login page sends them: from the server's own origin, keeping the cookie a login sets
        async with httpx.AsyncClient(base_url=server.base_url, headers={"Origin": server.base_url}, timeout=10) as http:
            yield http


async def login(http: httpx.AsyncClient, email: str, password: str, client_ip: str | None = None) -> httpx.Response:
    headers = {"X-Forwarded-For": client_ip} if client_ip else {}
    return await http.post("/api/auth/staff/login", json={"email": email, "password": password}, headers=headers)


async def test_forged_forwarded_for_is_ignored_by_default(app_factory: AppFactory) -> None:
    app = app_factory({"KITCHENASTY_LOGIN_ATTEMPTS_PER_MINUTE": "3"})
    async with running(app) as http:
        statuses = [
            (await login(http, f"guess{n}@example.com", WRONG, client_ip=f"203.0.113.{n}")).status_code
            for n in range(1, 5)
        ]
    assert statuses == [401, 401, 401, 429]  # every attempt counted against 127.0.0.1, the real peer


async def test_forwarded_for_from_a_trusted_proxy_names_the_client(app_factory: AppFactory) -> None:
    app = app_factory({"KITCHENASTY_LOGIN_ATTEMPTS_PER_MINUTE": "3", "KITCHENASTY_TRUSTED_PROXIES": "127.0.0.1"})
    async with running(app) as http:
        spread = [
            (await login(http, f"guess{n}@example.com", WRONG, client_ip=f"203.0.113.{n}")).status_code
            for n in range(1, 6)
        ]
        same = [
            (await login(http, f"other{n}@example.com", WRONG, client_ip="198.51.100.7")).status_code for n in range(4)
        ]
    assert spread == [401] * 5
    assert same == [401, 401, 401, 429]


async def test_wrong_passwords_from_many_addresses_use_up_the_accounts_budget(app_factory: AppFactory) -> None:
    app = app_factory({"KITCHENASTY_LOGIN_ATTEMPTS_PER_MINUTE": "10", "KITCHENASTY_TRUSTED_PROXIES": "127.0.0.1"})
    await make_staff(app.state.services, email="cook@example.com")
    async with running(app) as http:
        statuses = [
            (await login(http, "cook@example.com", WRONG, client_ip=f"203.0.113.{n}")).status_code for n in range(1, 12)
        ]
        with_password = await login(http, "Cook@Example.com", PASSWORD, client_ip="203.0.113.99")
        other_account = await login(http, "someone@example.com", WRONG, client_ip="203.0.113.1")
        ghost = [await login(http, "ghost@example.com", WRONG, client_ip=f"198.51.100.{n}") for n in range(1, 12)]
    assert statuses == [401] * 10 + [429]
    assert with_password.status_code == 429  # the account's budget is spent, whoever asks
    assert other_account.status_code == 401  # the addresses themselves are not locked out
    refused = with_password.json()
    assert refused == {"success": False, "error": "Too many attempts, please try again later.", "code": "RATE_LIMITED"}
    assert [r.status_code for r in ghost] == [401] * 10 + [429]
    assert ghost[-1].json() == refused  # the same answer whether or not the account exists
    assert int(ghost[-1].headers["retry-after"]) >= 1


async def test_a_success_clears_the_accounts_failures(app_factory: AppFactory) -> None:
    app = app_factory({"KITCHENASTY_LOGIN_ATTEMPTS_PER_MINUTE": "3", "KITCHENASTY_TRUSTED_PROXIES": "127.0.0.1"})
    await make_staff(app.state.services, email="cook@example.com")
    async with running(app) as http:
        before = [(await login(http, "cook@example.com", WRONG, f"203.0.113.{n}")).status_code for n in (1, 2)]
        success = await login(http, "cook@example.com", PASSWORD, "203.0.113.3")
        after = [(await login(http, "cook@example.com", WRONG, f"203.0.113.{n}")).status_code for n in (4, 5, 6, 7)]
    assert before == [401, 401]
    assert success.status_code == 200
    assert after == [401, 401, 401, 429]


async def test_concurrent_guesses_cannot_overrun_the_accounts_budget(app_factory: AppFactory) -> None:
    app = app_factory({"KITCHENASTY_LOGIN_ATTEMPTS_PER_MINUTE": "3", "KITCHENASTY_TRUSTED_PROXIES": "127.0.0.1"})
    await make_staff(app.state.services, email="cook@example.com")
    async with running(app) as http:
        answers = await asyncio.gather(
            *(login(http, "cook@example.com", WRONG, f"203.0.113.{n}") for n in range(1, 11))
        )
    assert sorted(r.status_code for r in answers) == [401] * 3 + [429] * 7


def test_serve_believes_no_forwarded_headers_unless_told(data_dir: Any) -> None:
    assert UVICORN_SETTINGS["proxy_headers"] is False
    assert proxy_settings(load_boot_settings(data_dir, env={})) == {"proxy_headers": False}
    told = load_boot_settings(data_dir, env={"KITCHENASTY_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8"})
    assert proxy_settings(told) == {"proxy_headers": True, "forwarded_allow_ips": ["127.0.0.1", "10.0.0.0/8"]}
    wrong = load_boot_settings(data_dir, env={"KITCHENASTY_TRUSTED_PROXIES": "127.0.0.1, proxy.lan"})
    with pytest.raises(ConfigError) as refused:
        proxy_settings(wrong)
    assert str(refused.value) == "trusted_proxies: 'proxy.lan' is not an IP address or network"
