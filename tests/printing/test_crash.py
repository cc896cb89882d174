"""A server killed mid-print (SIGKILL), then started again: no job is lost, a job PRINTED before the kill never
prints again, the job that was PRINTING at the kill prints at most once more (with the same job id)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from kitchenasty.printing.models import Printer
from kitchenasty.services import Services
from tests.orders.fixtures import GUEST, make_menu, set_settings
from tests.printing.helpers import all_printed, plain
from tests.printing.receiver import PrinterReceiver
from tests.servers import free_port


def job_rows(data_dir: Path) -> list[tuple[str, str, int]]:
    with sqlite3.connect(data_dir / "kitchenasty.db") as db:
        rows = db.execute("SELECT id, status, attempts FROM print_jobs ORDER BY id").fetchall()
    db.close()
    return rows


def wait_until(check, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


@pytest.mark.slow
async def test_killed_mid_print_loses_no_job_and_prints_none_twice_after_restart(
    app_factory,
    data_dir: Path,
    env: dict[str, str],  # type: ignore[no-untyped-def]
) -> None:
    with PrinterReceiver() as printer:
        setup: Litestar = app_factory()
        services: Services = setup.state.services
        await set_settings(services, "orders", autoPrintStatus="PENDING")
        menu = await make_menu(services)
        async with services.db.transaction() as session:
            session.add(Printer(name="Expo", host="127.0.0.1", port=printer.port, width_mm=80))
        await services.db.dispose()

        port = free_port()
        proc_env = {k: v for k, v in os.environ.items() if not k.startswith(("KITCHENASTY_", "SMTP_"))}
        proc_env.update(env)
        command = [sys.executable, "-m", "kitchenasty", "serve", "--data-dir", str(data_dir), "--port", str(port)]
        proc = subprocess.Popen(
            [*command, "--host", "127.0.0.1"], env=proc_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until(lambda: _up(base))
            body = {"orderType": "PICKUP", **GUEST}
            first = httpx.post(f"{base}/api/orders", json={**body, "items": [plain(menu.fries)]}, timeout=10)
            assert first.status_code == 201, first.text
            printer.wait_for(1)
            wait_until(lambda: [s for _, s, _ in job_rows(data_dir)] == ["PRINTED"])
            printer.hold = True  # the next ticket's status answer is held: the job stays PRINTING
            second = httpx.post(f"{base}/api/orders", json={**body, "items": [plain(menu.soda)]}, timeout=10)
            assert second.status_code == 201, second.text
            printer.wait_for(2)
            wait_until(lambda: [s for _, s, _ in job_rows(data_dir)] == ["PRINTED", "PRINTING"])
        finally:
            proc.kill()
            proc.wait(10)
        printer.release()
        before = job_rows(data_dir)
        assert [(s, a) for _, s, a in before] == [("PRINTED", 1), ("PRINTING", 1)]

        restarted: Litestar = app_factory()
        async with AsyncTestClient(app=restarted):
            rows = await all_printed(restarted.state.services, 2)
            printer.wait_for(3)
            time.sleep(0.5)
        tickets = printer.tickets
    assert [j.attempts for j in rows] == [1, 2]
    ids = [t.job_id for t in tickets]
    assert ids == [before[0][0], before[1][0], before[1][0]]  # the first never again; the second once more


def _up(base: str) -> bool:
    try:
        return httpx.get(f"{base}/api/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False
