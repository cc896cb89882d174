"""`kitchenasty outbox list|retry` through Typer's CliRunner (synchronous tests: the CLI runs its own loop)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from kitchenasty.cli import app as cli
from kitchenasty.core.config import BootSettings
from kitchenasty.core.db import Database
from kitchenasty.core.outbox import OutboxMessage

runner = CliRunner()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KITCHENASTY_DATA_DIR", "KITCHENASTY_CONFIG", "SMTP_HOST"):
        monkeypatch.delenv(name, raising=False)


async def _seed(boot: BootSettings) -> dict[str, str]:
    db = Database(boot.database_url)
    rows = {
        "failed": OutboxMessage(
            channel="webhook",
            source="rule",
            recipient="https://pos.example/hook",
            subject="order.created",
            status="FAILED",
            attempts=8,
            last_error="HTTP 500 from pos.example",
        ),
        "sent": OutboxMessage(
            channel="email", source="builtin:test", recipient="ana@example.com", subject="Hi", status="SENT"
        ),
    }
    async with db.transaction() as session:
        session.add_all(rows.values())
    await db.dispose()
    return {key: row.id for key, row in rows.items()}


async def _status(boot: BootSettings, delivery_id: str) -> tuple[str, int]:
    db = Database(boot.database_url)
    async with db.session() as session:
        row = (await session.execute(select(OutboxMessage).where(OutboxMessage.id == delivery_id))).scalar_one()
    await db.dispose()
    return row.status, row.attempts


def test_outbox_cli_lists_and_filters_deliveries(boot: BootSettings, data_dir: Path) -> None:
    ids = asyncio.run(_seed(boot))

    listed = runner.invoke(cli, ["outbox", "list", "--data-dir", str(data_dir)])
    assert listed.exit_code == 0, listed.output
    assert ids["failed"] in listed.output and ids["sent"] in listed.output
    assert "HTTP 500 from pos.example" in listed.output

    failed_only = runner.invoke(cli, ["outbox", "list", "--status", "failed", "--data-dir", str(data_dir)])
    assert failed_only.exit_code == 0
    assert ids["failed"] in failed_only.output and ids["sent"] not in failed_only.output
    assert "1 of 1" in failed_only.output

    bad = runner.invoke(cli, ["outbox", "list", "--status", "LOST", "--data-dir", str(data_dir)])
    assert bad.exit_code == 1
    assert "--status must be one of PENDING, SENDING, SENT, FAILED" in bad.output


def test_outbox_cli_retry_requeues_failed_but_never_a_sent_delivery(boot: BootSettings, data_dir: Path) -> None:
    ids = asyncio.run(_seed(boot))

    again = runner.invoke(cli, ["outbox", "retry", ids["sent"], "--data-dir", str(data_dir)])
    assert again.exit_code == 1
    assert "already sent" in again.output

    one = runner.invoke(cli, ["outbox", "retry", ids["failed"], "--data-dir", str(data_dir)])
    assert one.exit_code == 0, one.output
    assert f"delivery {ids['failed']} (webhook to https://pos.example/hook) queued again" in one.output
    assert asyncio.run(_status(boot, ids["failed"])) == ("PENDING", 0)
    assert asyncio.run(_status(boot, ids["sent"])) == ("SENT", 0)

    none_left = runner.invoke(cli, ["outbox", "retry", "--failed", "--data-dir", str(data_dir)])
    assert (none_left.exit_code, none_left.output.strip()) == (0, "0 failed deliveries queued again")

    neither = runner.invoke(cli, ["outbox", "retry", "--data-dir", str(data_dir)])
    assert neither.exit_code == 1
    assert "give a delivery id or --failed" in neither.output
