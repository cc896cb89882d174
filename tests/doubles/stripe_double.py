"""A local Stripe: a real HTTP server following Stripe's documented form-encoded API for what the product calls
(Checkout Sessions, PaymentIntents, Refunds), a hosted checkout page, and signed webhooks.

- `POST /v1/checkout/sessions` answers `{id: "cs_test_…", url: <this server>/pay/<id>, amount_total, …}`;
  `GET /v1/checkout/sessions/<id>` reads one back.
- `POST /v1/payment_intents` answers `{id: "pi_…", client_secret, amount, currency, metadata}`.
- `POST /v1/refunds` refuses (400) more than is left of the intent's charge, as Stripe does.
- `GET /pay/<id>` is the hosted page: a "Pay" button whose POST marks the session paid, redirects (303) to its
  `success_url`, and then POSTs a `checkout.session.completed` event signed with `webhook_secret`
  (`Stripe-Signature: t=…,v1=HMAC-SHA256("t.body")`) to `webhook_url`.
Every API request is recorded (`requests`: method, path, the decoded form, headers) so tests assert on amounts.
Same `Idempotency-Key`, same answer. `report_amount` makes the next webhooks claim another amount (a mismatch).
"""

from __future__ import annotations

import html
import itertools
import json
import re
import secrets
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from kitchenasty.payments.checks import stripe_signature
from tests.servers import free_port

SECRET_KEY = "sk_test_double_4242424242"
WEBHOOK_SECRET = "whsec_double_0123456789abcdef"


def nested(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's bracket form keys back into nested values (`line_items[0][price_data][unit_amount]`)."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+", key)
        node: Any = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            nxt = None if last else parts[i + 1]
            if isinstance(node, list):
                index = int(part)
                while len(node) <= index:
                    node.append({} if nxt is not None and not nxt.isdigit() else [])
                if last:
                    node[index] = value
                else:
                    node = node[index]
            else:
                if last:
                    node[part] = value
                else:
                    node = node.setdefault(part, [] if nxt is not None and nxt.isdigit() else {})
    return root


@dataclass
class Recorded:
    method: str
    path: str
    form: dict[str, Any]
    headers: dict[str, str]


@dataclass
class StripeDouble:
    webhook_url: str | None = None
    webhook_secret: str = WEBHOOK_SECRET
    secret_key: str = SECRET_KEY
    port: int = field(default_factory=free_port)
    requests: list[Recorded] = field(default_factory=list)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    sent_webhooks: list[tuple[int, bytes]] = field(default_factory=list)
    report_amount: int | None = None
    webhook_delay: float = 0.3
    fail_next: int = 0
    """Answer this many next API calls with 500 (a provider outage)."""

    def __post_init__(self) -> None:
        double = self
        self._lock = threading.Lock()
        self._seq = itertools.count(1)
        self._idempotent: dict[str, tuple[int, dict[str, Any]]] = {}

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return None

            def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def _json(self, status: int, value: Any) -> None:
                self._send(status, json.dumps(value).encode(), "application/json")

            def _read(self) -> dict[str, Any]:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                return nested(parse_qsl(raw, keep_blank_values=True))

            def do_GET(self) -> None:
                if self.path.startswith("/pay/"):
                    double._page(self, self.path.split("/")[2].split("?")[0])
                    return
                self._api("GET", {})

            def do_POST(self) -> None:
                form = self._read()
                if self.path.startswith("/pay/"):
                    double._pay(self, self.path.split("/")[2].split("?")[0])
                    return
                self._api("POST", form)

            def _api(self, method: str, form: dict[str, Any]) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                with double._lock:
                    double.requests.append(Recorded(method, self.path, form, headers))
                if headers.get("authorization") != f"Bearer {double.secret_key}":
                    self._json(401, {"error": {"type": "invalid_request_error", "message": "Invalid API Key provided"}})
                    return
                if double.fail_next > 0:
                    double.fail_next -= 1
                    self._json(500, {"error": {"type": "api_error", "message": "Something went wrong"}})
                    return
                key = headers.get("idempotency-key")
                if key and key in double._idempotent:
                    self._json(*double._idempotent[key])
                    return
                status, answer = double._route(method, self.path, form)
                if key and method == "POST":
                    double._idempotent[key] = (status, answer)
                self._json(status, answer)

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # ---------------------------------------------------------------- the API

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _id(self, prefix: str) -> str:
        return f"{prefix}_test_{next(self._seq):04d}{secrets.token_hex(6)}"

    def _route(self, method: str, path: str, form: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if method == "POST" and path == "/v1/checkout/sessions":
            items = form.get("line_items") or []
            total = sum(int(i["price_data"]["unit_amount"]) * int(i.get("quantity", 1)) for i in items)
            currency = items[0]["price_data"]["currency"] if items else "usd"
            session_id = self._id("cs")
            session = {
                "id": session_id,
                "object": "checkout.session",
                "url": f"{self.url}/pay/{session_id}",
                "amount_total": total,
                "currency": currency,
                "mode": form.get("mode"),
                "metadata": form.get("metadata") or {},
                "payment_intent_metadata": (form.get("payment_intent_data") or {}).get("metadata") or {},
                "payment_status": "unpaid",
                "status": "open",
                "payment_intent": None,
                "success_url": form.get("success_url"),
                "cancel_url": form.get("cancel_url"),
                "customer_email": form.get("customer_email"),
                "line_items": items,
            }
            self.sessions[session_id] = session
            return 200, session
        match = re.fullmatch(r"/v1/checkout/sessions/([^/?]+)", path)
        if method == "GET" and match:
            found = self.sessions.get(match.group(1))
            return (200, found) if found else (404, {"error": {"type": "invalid_request_error"}})
        if method == "POST" and path == "/v1/payment_intents":
            intent_id = self._id("pi")
            intent = {
                "id": intent_id,
                "object": "payment_intent",
                "amount": int(form["amount"]),
                "amount_received": 0,
                "currency": form.get("currency"),
                "metadata": form.get("metadata") or {},
                "client_secret": f"{intent_id}_secret_{secrets.token_hex(8)}",
                "receipt_email": form.get("receipt_email"),
                "status": "requires_payment_method",
                "refunded": 0,
            }
            self.intents[intent_id] = intent
            return 200, intent
        if method == "POST" and path == "/v1/refunds":
            intent = self.intents.get(str(form.get("payment_intent")))
            amount = int(form.get("amount") or 0)
            if intent is None or intent["status"] != "succeeded":
                return 400, {"error": {"type": "invalid_request_error", "code": "charge_not_found"}}
            if amount <= 0 or intent["refunded"] + amount > intent["amount_received"]:
                return 400, {"error": {"type": "invalid_request_error", "code": "charge_already_refunded"}}
            intent["refunded"] += amount
            refund = {"id": self._id("re"), "object": "refund", "amount": amount, "payment_intent": intent["id"]}
            refund |= {"status": "succeeded", "metadata": form.get("metadata") or {}}
            self.refunds[refund["id"]] = refund
            return 200, refund
        return 404, {"error": {"type": "invalid_request_error", "message": f"Unrecognized request URL ({path})"}}

    # ---------------------------------------------------------------- the hosted page

    def _page(self, handler: Any, session_id: str) -> None:
        session = self.sessions.get(session_id)
        if session is None:
            handler._send(404, b"No such checkout session", "text/plain")
            return
        amount = f"{session['amount_total'] / 100:.2f} {str(session['currency']).upper()}"
        page = (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Stripe test double checkout</title>"
            "</head><body><main><h1>Test checkout</h1>"
            f"<p id='amount'>{html.escape(amount)}</p>"
            f"<form method='post' action='/pay/{html.escape(session_id)}'>"
            f"<button type='submit' id='pay'>Pay {html.escape(amount)}</button></form></main></body></html>"
        )
        handler._send(200, page.encode(), "text/html; charset=utf-8")

    def _pay(self, handler: Any, session_id: str) -> None:
        session = self.sessions.get(session_id)
        if session is None:
            handler._send(404, b"No such checkout session", "text/plain")
            return
        self.complete(session_id)
        handler._send(303, b"", "text/plain", {"Location": session["success_url"]})
        threading.Thread(target=self._deliver_later, args=(session_id,), daemon=True).start()

    def complete(self, session_id: str) -> dict[str, Any]:
        """The guest paid: the session is paid and has an intent (as after the hosted page's button)."""
        session = self.sessions[session_id]
        if session["payment_status"] != "paid":
            intent_id = self._id("pi")
            self.intents[intent_id] = {
                "id": intent_id,
                "object": "payment_intent",
                "amount": session["amount_total"],
                "amount_received": session["amount_total"],
                "currency": session["currency"],
                "metadata": session["payment_intent_metadata"],
                "status": "succeeded",
                "refunded": 0,
            }
            session.update(payment_status="paid", status="complete", payment_intent=intent_id)
        return session

    def _deliver_later(self, session_id: str) -> None:
        time.sleep(self.webhook_delay)
        self.send_event("checkout.session.completed", self.session_object(session_id))

    def session_object(self, session_id: str) -> dict[str, Any]:
        session = dict(self.sessions[session_id])
        if self.report_amount is not None:
            session["amount_total"] = self.report_amount
        return {k: v for k, v in session.items() if k not in ("line_items", "payment_intent_metadata")}

    # ---------------------------------------------------------------- webhooks

    def event(self, kind: str, obj: dict[str, Any], event_id: str | None = None) -> bytes:
        body = {"id": event_id or self._id("evt"), "object": "event", "type": kind, "data": {"object": obj}}
        return json.dumps(body).encode()

    def signature(self, payload: bytes, timestamp: int | None = None, secret: str | None = None) -> str:
        return stripe_signature(secret or self.webhook_secret, timestamp or int(time.time()), payload)

    def send_event(self, kind: str, obj: dict[str, Any], event_id: str | None = None) -> int:
        """POST a signed event to `webhook_url` (as Stripe does); returns the status code."""
        payload = self.event(kind, obj, event_id)
        request = urllib.request.Request(
            str(self.webhook_url),
            data=payload,
            method="POST",
            headers={"Content-Type": "application/json", "Stripe-Signature": self.signature(payload)},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        self.sent_webhooks.append((status, payload))
        return status

    def api_calls(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]

    def __enter__(self) -> StripeDouble:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
