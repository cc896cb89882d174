"""Every registered HTTP route is exercised as anonymous, customer, STAFF, MANAGER and SUPER_ADMIN, and the
outcome is checked against the access matrix (tests/<domain>/guard_matrix.py). A route without an entry fails."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from kitchenasty.core.security import PrincipalType
from kitchenasty.customers.models import Customer
from kitchenasty.services import Services
from kitchenasty.staff.models import StaffUser
from tests.factories import bearer, make_customer, make_staff

TESTS_DIR = Path(__file__).resolve().parent.parent
LEVELS = ("public", "optional", "auth", "customer", "staff", "manager", "admin")
PRINCIPALS = ("anonymous", "customer", "STAFF", "MANAGER", "SUPER_ADMIN")
# which principals a level lets through
ALLOWED = {
    "public": set(PRINCIPALS),
    "optional": set(PRINCIPALS),
    "auth": {"customer", "STAFF", "MANAGER", "SUPER_ADMIN"},
    "customer": {"customer"},
    "staff": {"STAFF", "MANAGER", "SUPER_ADMIN"},
    "manager": {"MANAGER", "SUPER_ADMIN"},
    "admin": {"SUPER_ADMIN"},
}


def load_matrix() -> dict[tuple[str, str], str]:
    matrix: dict[tuple[str, str], str] = {}
    for path in sorted(TESTS_DIR.glob("*/guard_matrix.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.guard_matrix")
        for key, level in module.MATRIX.items():
            assert level in LEVELS, f"{path}: unknown level {level!r} for {key}"
            assert key not in matrix, f"{key} is declared twice"
            matrix[key] = level
    return matrix


def registered_routes(app: Litestar) -> list[tuple[str, str]]:
    routes = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        if route.path.startswith("/api/schema"):
            continue  # Litestar's own schema router; /api/openapi.json is ours
        for method in sorted(route.methods):
            if method in ("OPTIONS", "HEAD"):
                continue
            routes.append((method, route.path))
    return routes


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "does-not-exist", path)


def test_every_route_has_a_matrix_entry(app: Litestar) -> None:
    matrix = load_matrix()
    missing = [route for route in registered_routes(app) if route not in matrix]
    assert not missing, f"routes without an access entry in tests/*/guard_matrix.py: {missing}"
    stale = [key for key in matrix if key not in set(registered_routes(app))]
    assert not stale, f"matrix entries for routes that do not exist: {stale}"


@pytest.mark.slow
async def test_guards_match_the_matrix(client: AsyncTestClient[Litestar], app: Litestar, services: Services) -> None:
    accounts: dict[str, tuple[PrincipalType, StaffUser | Customer]] = {
        "customer": ("customer", await make_customer(services))
    }
    for role in ("STAFF", "MANAGER", "SUPER_ADMIN"):
        accounts[role] = ("staff", await make_staff(services, role))  # type: ignore[arg-type]
    matrix = load_matrix()
    failures = []
    for method, path in registered_routes(app):
        level = matrix[(method, path)]
        # a fresh session for every route: POST /api/auth/logout ends the one it is called with
        headers = {"anonymous": {}} | {who: bearer(services.auth.issue(*account)) for who, account in accounts.items()}
        for who in PRINCIPALS:
            kwargs: dict[str, object] = {"headers": headers[who]}
            if method in ("POST", "PUT", "PATCH"):
                kwargs["json"] = {}
            response = await client.request(method, concrete(path), **kwargs)  # type: ignore[arg-type]
            status = response.status_code
            if who in ALLOWED[level]:
                if status in (401, 403) and response.json().get("code") in (
                    "AUTH_REQUIRED",
                    "STAFF_REQUIRED",
                    "INSUFFICIENT_ROLE",
                    "CUSTOMER_REQUIRED",
                    "INVALID_TOKEN",
                ):
                    failures.append(f"{method} {path} as {who}: refused ({status}) but level is {level}")
            else:
                expected = 401 if who == "anonymous" else 403
                if status != expected:
                    failures.append(f"{method} {path} as {who}: {status}, expected {expected} ({level})")
            assert status < 500, f"{method} {path} as {who} gave {status}: {response.text[:200]}"
    assert not failures, "\n".join(failures)
