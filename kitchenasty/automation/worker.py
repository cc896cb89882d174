"""The outbox worker: recorded events -> deliveries -> e-mail / SMS / webhook, with retries and backoff.

One asyncio task (started and stopped with the app) loops:
1. **Events to deliveries.** Unprocessed `EventRecord` rows are read in batches; for each, the built-in
   notifications and every active rule for that event whose conditions hold produce `OutboxMessage` rows (one
   per action, `dedupe_key = f"{event_id}:{rule_id}:{index}"`), and the event is marked processed in the same
   transaction, so an event is turned into deliveries exactly once even across crashes.
2. **Sending.** Due rows are claimed (an UPDATE guarded by their status: PENDING and due, or SENDING with an
   expired lease after a crash) and sent concurrently (a few at a time). Success marks them SENT; a failure
   schedules the next attempt after base x 2^(attempt-1) (+ up to 10% jitter), or marks them FAILED once
   `outbox_max_attempts` attempts were made (at once for a webhook/SMS target the outbound guard refuses). The
   last error and the attempt count are kept on the row. The claim (attempt counted, lease taken) is committed
   before anything is sent; an e-mail is marked SENT as soon as the server accepted it, before QUIT.
3. **Waiting.** Until the next row is due, at most `POLL_SECONDS`; any event on the bus (a committed change,
   `OutboxEnqueued`) wakes it at once, from any thread or event loop.

Database work goes through `Database.run_read`/`run_write` (the hot paths: compiled Core statements owned by
`core.events` and `core.outbox`, one hop per transaction): the worker never holds a connection of the async pools,
and it reads the site settings fresh from the database, so a change saved by another process applies to the next
message. Planning deliveries from events is `automation.planner`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx

from kitchenasty.automation.planner import Planner, active_rules
from kitchenasty.core import events, http_out, outbox
from kitchenasty.core.config import BootSettings
from kitchenasty.core.db import Database
from kitchenasty.core.events import DomainEvent
from kitchenasty.core.logging import get_logger
from kitchenasty.core.mail import Accepted, MailError, MailTransport
from kitchenasty.core.outbound import OutboundPolicy, TargetRefused
from kitchenasty.core.outbox import FAILED, PENDING, SENT
from kitchenasty.core.schema import utcnow
from kitchenasty.core.security import generate_secret
from kitchenasty.settings.service import ResolvedSettings, SettingsService, resolve_sync

log = get_logger("kitchenasty.automation")

POLL_SECONDS = 2.0
SEND_DEADLINE_SECONDS = 30.0
"""No single send may take longer: it is cancelled then. An SMTP conversation is the longest (each command may
take `mail.SMTP_TIMEOUT_SECONDS` = 15 s; connect + DATA both slow still fit); a webhook or SMS call is cut at
`http_out.TIMEOUT_SECONDS` = 10 s."""
LEASE_MARGIN_SECONDS = 10.0
"""Past the deadline: the settle write waiting behind the single writer, and the claim-to-start delay."""
LEASE = timedelta(seconds=SEND_DEADLINE_SECONDS + LEASE_MARGIN_SECONDS)
"""How long a claimed row may stay SENDING before it is claimed again: the longest a send may take plus a margin,
so a live send is never taken over, and after a crash the delivery is retried 40 s later (at least once)."""
WAKE_COALESCE_SECONDS = 0.05
INTEREST_REFRESH_SECONDS = 30.0
"""How long the worker lets new events gather after a wake-up (a notification leaves at most this much later)."""
EVENT_BATCH = 50
CONCURRENCY = 4
STOP_GRACE_SECONDS = 3.0
MAX_ERROR_CHARS = 2000
MAX_ANSWER_CHARS = 500


class DeliveryProblem(Exception):
    """A delivery cannot be attempted as configured (e.g. SMS settings missing); retried like a send error."""


# ---------------------------------------------------------------- the worker


class OutboxWorker:
    def __init__(self, db: Database, settings: SettingsService, boot: BootSettings, mail: MailTransport) -> None:
        self.db = db
        self.settings = settings
        self.boot = boot
        self.mail = mail
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self.interest: Any = None
        """`EventInterest` of the automation service (which events to wake up for)."""
        self.refresh_interest: Callable[[], Awaitable[None]] | None = None
        self._interest_checked = 0.0
        self._stopping = False
        self._inflight: set[asyncio.Task[None]] = set()
        self._client: httpx.AsyncClient | None = None
        self.policy = OutboundPolicy(boot.outbound_allowed_hosts, self._allow_private)
        """Where webhooks and SMS may go; the automation service checks rules against it too."""
        self._secret_lock = asyncio.Lock()

    # ---------------------------------------------------------------- lifecycle

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        if self.running:
            return
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._stopping = False
        self._client = http_out.new_client(self.policy)
        self._task = asyncio.create_task(self._run(), name="kitchenasty-outbox-worker")
        log.info("outbox.worker_started")

    async def stop(self) -> None:
        task = self._task
        if task is None:
            return
        self._stopping = True
        self.wake()
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout=STOP_GRACE_SECONDS + 5)
        except TimeoutError:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        if self._inflight:
            # let sends in progress finish; the rest stay SENDING and are claimed again after their lease
            _, pending = await asyncio.wait(set(self._inflight), timeout=STOP_GRACE_SECONDS)
            for pending_task in pending:
                pending_task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()
        self._task = self._client = self._wake = self._loop = None
        log.info("outbox.worker_stopped")

    def on_event(self, event: DomainEvent) -> None:
        """Any committed change: look now if it may concern a delivery (subscribed to every event)."""
        interest = self.interest
        if interest is None or interest(event.name):
            self.wake()

    def wake(self) -> None:
        """Make the worker look now (safe from any thread or event loop)."""
        loop, event = self._loop, self._wake
        if loop is None or event is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            event.set()
        else:
            loop.call_soon_threadsafe(event.set)

    async def _run(self) -> None:
        assert self._wake is not None
        while not self._stopping:
            self._wake.clear()
            delay = POLL_SECONDS
            try:
                await self._keep_interest_fresh()
                processed = await self.process_events()
                delay = await self.send_due()
                if processed >= EVENT_BATCH:
                    delay = 0.0
            except Exception:
                log.exception("outbox.worker_error")
            if self._stopping:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
                # Woken by new work: let a burst of orders land first, so one batch (one write transaction)
                # handles many events instead of one transaction per order competing with the order writes.
                await asyncio.sleep(WAKE_COALESCE_SECONDS)

    async def _keep_interest_fresh(self) -> None:
        """Re-read which events rules act on after a change (interest forgotten) and every half minute (rules
        saved by another server process)."""
        if self.refresh_interest is None or self.interest is None:
            return
        now = time.monotonic()
        if not self.interest.is_known or now - self._interest_checked > INTEREST_REFRESH_SECONDS:
            self._interest_checked = now
            await self.refresh_interest()

    # ---------------------------------------------------------------- events -> deliveries

    async def process_events(self) -> int:
        """Turn one batch of recorded events into outbox rows; returns how many events were processed."""
        if not await self.db.run_read(events.any_unprocessed):
            return 0
        processed, created = await self.db.run_write(self._process_batch)
        if created:
            log.info("automation.events_processed", events=processed, deliveries=created)
        return processed

    def _process_batch(self, session: Any) -> tuple[int, int]:
        """Plan one batch of events. Only events something acts on (a rule for their name, or the built-in order
        confirmation) have their payload loaded; the whole batch is marked processed with one UPDATE."""
        resolved = resolve_sync(session, self.settings.sources)
        batch = events.unprocessed(session, EVENT_BATCH)
        if not batch:
            return 0, 0
        rules = active_rules(session, {row.name for row in batch})
        acted_on = {rule.event for rule in rules}
        if resolved.get("orders.sendConfirmationEmail") and resolved.get("mail.smtpHost"):
            acted_on.add("order.created")
        wanted = [row.id for row in batch if row.name in acted_on]
        rows: list[dict[str, Any]] = []
        if wanted:
            planner = Planner(session, resolved, self.boot.base_url)
            for event in events.events_by_ids(session, wanted):
                rows.extend(planner.messages_for(event, [r for r in rules if r.event == event.name]))
        outbox.insert_messages(session, rows)
        events.mark_processed(session, [row.id for row in batch])
        return len(batch), len(rows)

    # ---------------------------------------------------------------- sending

    async def send_due(self) -> float:
        """Claim and start sending due rows; returns how long to wait before looking again."""
        free = CONCURRENCY - len(self._inflight)
        if free > 0:
            now = utcnow()
            ids = await self.db.run_read(lambda s: outbox.due_ids(s, now, free))
            if ids:
                for message in await self.db.run_write(lambda s: outbox.claim(s, ids, utcnow(), LEASE)):
                    task = asyncio.create_task(self._deliver(message), name=f"outbox-{message.id}")
                    self._inflight.add(task)
                    task.add_done_callback(self._done)
        if len(self._inflight) >= CONCURRENCY:
            return POLL_SECONDS  # a finishing send wakes the loop
        moment = await self.db.run_read(outbox.next_due)
        if moment is None:
            return POLL_SECONDS
        return max(0.02, min(POLL_SECONDS, (moment - utcnow()).total_seconds()))

    def _done(self, task: asyncio.Task[None]) -> None:
        self._inflight.discard(task)
        self.wake()

    async def resolved_settings(self) -> ResolvedSettings:
        """The effective site settings, read fresh from the database (one hop; no in-process cache)."""
        return await self.db.run_read(lambda s: resolve_sync(s, self.settings.sources))

    async def _allow_private(self) -> bool:
        return bool((await self.resolved_settings()).get("advanced.allowPrivateNetworkTargets"))

    async def _deliver(self, message: Any) -> None:
        error: str | None = None
        answer: str | None = None
        final = False
        settled = False

        async def accepted(server_answer: str) -> None:
            """The mail server took the message: mark it SENT now, before QUIT (a crash after this sends nothing
            again). Should the write fail, the settle after the send tries again."""
            nonlocal settled, answer
            answer = server_answer
            try:
                await self._settle(message, None, answer=server_answer)
                settled = True
            except Exception:
                log.exception("outbox.settle_failed", delivery_id=message.id)

        try:
            async with asyncio.timeout(SEND_DEADLINE_SECONDS):
                answer = await self.dispatch(message, on_accepted=accepted)
        except TargetRefused as exc:
            error, final = str(exc), True  # retrying will not change where the target points: FAILED now
        except (MailError, http_out.OutgoingError, DeliveryProblem) as exc:
            error = str(exc)
        except TimeoutError:
            error = f"sending took longer than {SEND_DEADLINE_SECONDS:g} s"
        except Exception as exc:
            log.exception("outbox.send_crashed", delivery_id=message.id, channel=message.channel)
            error = f"unexpected error while sending: {exc.__class__.__name__}"
        if settled:
            return
        try:
            await self._settle(message, error, final=final, answer=answer if error is None else None)
        except Exception:
            log.exception("outbox.settle_failed", delivery_id=message.id)

    async def dispatch(self, message: Any, on_accepted: Accepted | None = None) -> str:
        """Send one delivery; returns what the receiver answered (`250 …` from a mail server, `HTTP 200`)."""
        if message.channel == "email":
            recipients = [addr.strip() for addr in message.recipient.split(",") if addr.strip()]
            return await self.mail.send(
                to=recipients,
                subject=message.subject or "",
                html=message.body or "",
                text=message.text_body,
                headers={"X-KitchenAsty-Delivery": message.id},
                message_id=message.id,
                on_accepted=on_accepted,
            )
        if message.channel == "sms":
            return f"HTTP {await self._send_sms(message)}"
        if message.channel == "webhook":
            assert self._client is not None
            status = await http_out.post_webhook(
                self._client,
                url=message.recipient,
                body=(message.body or "").encode(),
                secret=await self.signing_secret(),
                event=message.subject or "",
                delivery_id=message.id,
                headers=message.headers,
            )
            return f"HTTP {status}"
        raise DeliveryProblem(f"unknown channel {message.channel!r}")

    async def _send_sms(self, message: Any) -> int:
        assert self._client is not None
        resolved = await self.resolved_settings()
        fields = {
            "smsAccountSid": resolved.get("advanced.smsAccountSid"),
            "smsAuthToken": resolved.get("advanced.smsAuthToken"),
            "smsFromNumber": resolved.get("advanced.smsFromNumber"),
        }
        missing = [f"advanced.{name}" for name, value in fields.items() if not value]
        if missing:
            raise DeliveryProblem(f"SMS is not configured: set {', '.join(missing)}")
        return await http_out.send_sms(
            self._client,
            base_url=resolved.get("advanced.smsBaseUrl"),
            account_sid=fields["smsAccountSid"],
            auth_token=fields["smsAuthToken"],
            from_number=fields["smsFromNumber"],
            to=message.recipient,
            body=message.body or "",
            delivery_id=message.id,
        )

    async def signing_secret(self) -> str:
        """advanced.webhookSigningSecret; generated and saved the first time if `init` did not create one."""
        secret = (await self.resolved_settings()).get("advanced.webhookSigningSecret")
        if secret:
            return str(secret)
        async with self._secret_lock:
            secret = (await self.resolved_settings()).get("advanced.webhookSigningSecret")
            if not secret:
                secret = generate_secret(32)
                await self.settings.update_group("advanced", {"webhookSigningSecret": secret})
                log.warning("outbox.webhook_secret_generated")
        return str(secret)

    async def _settle(self, message: Any, error: str | None, *, final: bool = False, answer: str | None = None) -> None:
        now = utcnow()
        limit = message.max_attempts or self.boot.outbox_max_attempts
        values: dict[str, Any] = {"lease_until": None, "updated_at": now}
        if error is None:
            values.update(status=SENT, sent_at=now, last_response=(answer or None) and answer[:MAX_ANSWER_CHARS])
        else:
            values["last_error"] = error[:MAX_ERROR_CHARS]
            if final or message.attempts >= limit:
                values["status"] = FAILED
            else:
                values["status"] = PENDING
                values["next_attempt_at"] = now + outbox.retry_delay(
                    message.attempts, self.boot.outbox_base_delay_seconds
                )

        ours = await self.db.run_write(lambda s: outbox.settle(s, message.id, message.attempts, values))
        fields = {"delivery_id": message.id, "channel": message.channel, "attempt": message.attempts}
        if not ours:
            log.warning("outbox.claim_lost", **fields)
        elif error is None:
            log.info("outbox.sent", **fields)
        elif values["status"] == FAILED:
            log.error("outbox.failed", error=error, **fields)
        else:
            retry_in = (values["next_attempt_at"] - now).total_seconds()
            log.warning("outbox.retry_scheduled", error=error, retry_in_seconds=round(retry_in, 2), **fields)
