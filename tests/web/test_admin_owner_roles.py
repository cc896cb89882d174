"""The owner's screens open for exactly the roles their API serves (tests/<domain>/guard_matrix.py): a screen never
appears in a role's navigation when the API it reads would refuse that role, nor hides from a role it serves."""

from __future__ import annotations

import pytest

from kitchenasty.web import admin
from tests.automation.guard_matrix import MATRIX as AUTOMATION
from tests.dashboard.guard_matrix import MATRIX as DASHBOARD
from tests.developer.guard_matrix import MATRIX as DEVELOPER
from tests.reports.guard_matrix import MATRIX as REPORTS

LEAST_ROLE = {"staff": "STAFF", "manager": "MANAGER", "admin": "SUPER_ADMIN"}

READS = {
    "dashboard": DASHBOARD[("GET", "/api/dashboard/stats")],
    "reports": REPORTS[("GET", "/api/reports/z")],
    "automation": AUTOMATION[("GET", "/api/automation-rules")],
    "outbox": AUTOMATION[("GET", "/api/automation/deliveries")],
    "metrics": DEVELOPER[("GET", "/api/developer/metrics")],
    "audit": DEVELOPER[("GET", "/api/developer/audit-logs")],
}


@pytest.mark.parametrize(("slug", "level"), sorted(READS.items()))
def test_owner_screen_role_is_the_least_role_its_api_serves(slug: str, level: str) -> None:
    screen = admin.screen_for(slug)
    assert screen is not None, slug
    assert screen.role == LEAST_ROLE[level]
