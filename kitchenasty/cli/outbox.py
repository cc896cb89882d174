"""`kitchenasty outbox list|retry`: the e-mails, SMS and webhooks waiting, sent or failed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kitchenasty.automation.schemas import DeliveryOut
from kitchenasty.cli.console import ConfigOption, DataDirOption, boot_settings, fail, handle_errors, out, run
from kitchenasty.core import datadir
from kitchenasty.core.api import PageParams
from kitchenasty.core.config import BootSettings
from kitchenasty.core.outbox import STATUSES
from kitchenasty.services import Services

app = typer.Typer(help="Outgoing e-mail, SMS and webhooks (the outbox).", no_args_is_help=True)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="outbox")


def _initialised(data_dir: Path | None, config: Path | None) -> BootSettings:
    boot = boot_settings(data_dir, config)
    if not datadir.is_initialised(boot):
        fail(f"{boot.data_dir} is not initialised; run `kitchenasty init` first")
    return boot


def _short(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


@app.command("list")
@handle_errors
def list_deliveries(
    status: Annotated[
        str | None, typer.Option("--status", help="Only PENDING, SENDING, SENT or FAILED.", case_sensitive=False)
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100, help="How many, newest first.")] = 20,
    data_dir: DataDirOption = None,
    config: ConfigOption = None,
) -> None:
    """List deliveries, newest first: channel, status, attempts, recipient and the last error."""
    if status is not None:
        status = status.upper()
        if status not in STATUSES:
            fail(f"--status must be one of {', '.join(STATUSES)}")
    boot = _initialised(data_dir, config)

    async def go(services: Services) -> tuple[list[DeliveryOut], int]:
        return await services.automation.list_deliveries(PageParams(page=1, limit=limit), status=status)

    items, total = run(go, boot)
    if not items:
        out.print("no deliveries" + (f" with status {status}" if status else ""))
        return
    for item in items:
        line = (
            f"{item.id}  {item.created_at[:19].replace('T', ' ')}  {item.channel:<7}  {item.status:<7}  "
            f"{item.attempts}/{item.max_attempts}  {_short(item.recipient, 60)}"
        )
        if item.subject:
            line += f"  {_short(item.subject, 60)}"
        out.print(line, markup=False)
        if item.last_error:
            out.print(f"    last error: {_short(item.last_error, 200)}", markup=False)
    out.print(f"{len(items)} of {total}")


@app.command("retry")
@handle_errors
def retry(
    delivery_id: Annotated[str | None, typer.Argument(help="The delivery to send again.")] = None,
    failed: Annotated[bool, typer.Option("--failed", help="Every FAILED delivery.")] = False,
    data_dir: DataDirOption = None,
    config: ConfigOption = None,
) -> None:
    """Queue a delivery (or every failed one) to be sent again by the running server."""
    if bool(delivery_id) == failed:
        fail("give a delivery id or --failed")
    boot = _initialised(data_dir, config)

    if failed:

        async def retry_all(services: Services) -> int:
            return await services.automation.retry_failed()

        count = run(retry_all, boot)
        out.print(f"{count} failed deliver{'y' if count == 1 else 'ies'} queued again")
        return

    async def retry_one(services: Services) -> DeliveryOut:
        return await services.automation.retry_delivery(delivery_id or "")

    item = run(retry_one, boot)
    out.print(f"delivery {item.id} ({item.channel} to {item.recipient}) queued again; the running server sends it")
