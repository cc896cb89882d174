"""A crash in the middle of a send: what is promised is at-least-once, with ids a receiver can de-duplicate on.

The server process is killed (SIGKILL) while the mail server holds its answer to DATA and the webhook receiver
holds its answer; after the lease runs out, a new process sends both again: the e-mail with the same Message-ID,
the webhook with the same X-KitchenAsty-Delivery and the same signed body.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update

from kitchenasty.automation import worker
from kitchenasty.core import http_out, mail
from kitchenasty.core.outbox import OutboxMessage, enqueue_email
from kitchenasty.core.schema import utcnow
from kitchenasty.services import Services
from tests.automation.helpers import GUEST_EMAIL, configure_mail, create_rule, deliveries, sent, status_changed
from tests.factories import staff_headers
from tests.servers import HTTPReceiver, SMTPServer, eventually, free_port

SIGNING_SECRET = "whsec-crash-0123456789abcdef"
SENDER = "kitchen@pizzeria.example"


def outbox_rows(data_dir: Path) -> list[tuple[str, str, int, str | None]]:
    with sqlite3.connect(data_dir / "kitchenasty.db") as db:
        rows = db.execute("SELECT id, status, attempts, lease_until FROM outbox ORDER BY channel").fetchall()
    db.close()
    return rows


def wait_until(check, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


@pytest.mark.slow
async def test_killed_mid_send_resends_with_the_same_message_id_and_delivery_id(
    app_factory,
    data_dir: Path,
    env: dict[str, str],  # type: ignore[no-untyped-def]
) -> None:
    secret_env = {"KITCHENASTY_ADVANCED__WEBHOOK_SIGNING_SECRET": SIGNING_SECRET}
    with SMTPServer(hold=("DATA",)) as smtp, HTTPReceiver(hold=True) as receiver:
        setup: Services = app_factory(secret_env).state.services
        await setup.settings.update_group(
            "mail", {"smtpHost": "127.0.0.1", "smtpPort": smtp.port, "encryption": "none", "senderEmail": SENDER}
        )
        async with setup.db.transaction() as session:
            enqueue_email(session, to=GUEST_EMAIL, subject="Your order", html="<p>Thanks</p>", source="builtin:test")
            session.add(OutboxMessage(channel="webhook", source="rule", recipient=f"{receiver.url}/hook", body="{}"))
        await setup.db.dispose()

        port = free_port()
        proc_env = {k: v for k, v in os.environ.items() if not k.startswith(("KITCHENASTY_", "SMTP_"))}
        proc_env.update({**env, **secret_env})
        command = [sys.executable, "-m", "kitchenasty", "serve", "--data-dir", str(data_dir), "--port", str(port)]
        proc = subprocess.Popen(
            [*command, "--host", "127.0.0.1"], env=proc_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            smtp.wait_for(1, timeout=30)  # the server has the message; its "250 OK" is held
            receiver.wait_for(1, timeout=30)  # the receiver has the request; its answer is held
            # the attempt was recorded before anything was sent: both rows are claimed, counted and leased
            assert [(status, attempts) for _, status, attempts, _ in outbox_rows(data_dir)] == [
                ("SENDING", 1),
                ("SENDING", 1),
            ]
            assert all(lease for *_, lease in outbox_rows(data_dir))
        finally:
            proc.kill()
            proc.wait(10)
        smtp.release()
        receiver.release()

        restarted: Litestar = app_factory(secret_env)
        services: Services = restarted.state.services
        async with services.db.transaction() as session:  # the lease runs out (instead of waiting for it)
            await session.execute(update(OutboxMessage).values(lease_until=utcnow() - timedelta(seconds=1)))
        async with AsyncTestClient(app=restarted):
            mails = smtp.wait_for(2)
            requests = receiver.wait_for(2)
            rows = await sent(services, 2)

    by_channel = {row.channel: row for row in rows}
    email, webhook = by_channel["email"], by_channel["webhook"]
    assert (email.attempts, webhook.attempts) == (2, 2)
    first, second = (m.message for m in mails)
    assert first["Message-ID"] == second["Message-ID"] == f"<{email.id}@pizzeria.example>"
    assert first["X-KitchenAsty-Delivery"] == second["X-KitchenAsty-Delivery"] == email.id
    assert [r.headers["x-kitchenasty-delivery"] for r in requests] == [webhook.id, webhook.id]
    assert requests[0].body == requests[1].body
    for request in requests:
        assert http_out.verify_signature(SIGNING_SECRET, request.body, request.headers["x-kitchenasty-signature"])


async def test_email_is_marked_sent_when_the_server_accepts_it_before_quit(
    client: AsyncTestClient[Litestar], services: Services
) -> None:
    admin = await staff_headers(services, "SUPER_ADMIN")
    with SMTPServer(hold=("QUIT",)) as smtp:
        await configure_mail(client, admin, smtp.port)
        await create_rule(
            client,
            admin,
            event="order.statusChanged",
            actions=[{"type": "email", "to": "customer", "subject": "Ready", "body": "Your order is ready"}],
        )
        await status_changed(services, "READY")
        smtp.wait_for(1)

        async def marked_sent() -> OutboxMessage | None:
            rows = await deliveries(services)
            return rows[0] if rows and rows[0].status == "SENT" else None

        delivery = await eventually(marked_sent, timeout=5)  # while the server still holds its answer to QUIT
        smtp.release()
    assert (delivery.attempts, delivery.last_error) == (1, None)
    assert smtp.inbox[0].message["Message-ID"] == f"<{delivery.id}@pizzeria.example>"


async def test_email_message_id_is_stable_per_delivery(smtp: SMTPServer) -> None:
    config = mail.MailConfig.from_settings(
        {"smtpHost": "127.0.0.1", "smtpPort": smtp.port, "encryption": "none", "senderEmail": SENDER}
    )
    assert config is not None
    built = [
        mail.build_message(config, to=["a@example.com"], subject="s", html="<p>h</p>", message_id="cdel0001")
        for _ in range(2)
    ]
    assert [m["Message-ID"] for m in built] == ["<cdel0001@pizzeria.example>"] * 2
    random_ids = {mail.build_message(config, to=["a@example.com"], subject="s", html="h")["Message-ID"] for _ in "ab"}
    assert len(random_ids) == 2


def test_lease_is_the_longest_send_plus_a_short_margin() -> None:
    deadline = worker.SEND_DEADLINE_SECONDS
    assert deadline >= mail.SMTP_TIMEOUT_SECONDS * 2  # a slow connect and a slow DATA answer both fit
    assert deadline >= http_out.TIMEOUT_SECONDS
    assert deadline < worker.LEASE.total_seconds() <= deadline + 15
