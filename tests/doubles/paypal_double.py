"""A local PayPal: a real HTTP server following the documented Orders v2 API for what the product calls.

`POST /v1/oauth2/token` (client-credentials, basic auth; counts the tokens issued), `POST /v2/checkout/orders`,
`POST /v2/checkout/orders/<id>/capture` (422 ORDER_NOT_APPROVED until `approve(id)`, as PayPal does before the
buyer approves), `POST /v2/payments/captures/<id>/refund`. `capture_amount` makes captures report another amount.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.servers import free_port

CLIENT_ID = "paypal-double-client"
CLIENT_SECRET = "paypal-double-secret-0123"


@dataclass
class PayPalDouble:
    port: int = field(default_factory=free_port)
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens_issued: int = 0
    requests: list[tuple[str, str, Any]] = field(default_factory=list)
    capture_amount: str | None = None

    def __post_init__(self) -> None:
        double = self
        self._seq = itertools.count(1)
        self._tokens: set[str] = set()
        self._lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return None

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                with double._lock:
                    status, answer = double._route(self.path, dict(self.headers.items()), raw)
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _route(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, Any]]:
        auth = {k.lower(): v for k, v in headers.items()}.get("authorization", "")
        if path == "/v1/oauth2/token":
            expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            if auth != expected:
                return 401, {"error": "invalid_client"}
            self.tokens_issued += 1
            token = f"A21AA-double-{next(self._seq)}"
            self._tokens.add(token)
            return 200, {"access_token": token, "token_type": "Bearer", "expires_in": 32400}
        if not auth.startswith("Bearer ") or auth[7:] not in self._tokens:
            return 401, {"name": "AUTHENTICATION_FAILURE"}
        body = json.loads(raw or b"{}")
        self.requests.append(("POST", path, body))
        if path == "/v2/checkout/orders":
            order_id = f"PP{next(self._seq):06d}"
            unit = body["purchase_units"][0]
            order = {
                "id": order_id,
                "status": "CREATED",
                "purchase_units": [unit],
                "links": [{"rel": "approve", "href": f"{self.url}/checkoutnow?token={order_id}", "method": "GET"}],
            }
            self.orders[order_id] = order
            return 201, order
        match = re.fullmatch(r"/v2/checkout/orders/([^/]+)/capture", path)
        if match:
            order = self.orders.get(match.group(1))
            if order is None:
                return 404, {"name": "RESOURCE_NOT_FOUND"}
            if order["status"] == "CREATED":
                return 422, {"name": "UNPROCESSABLE_ENTITY", "details": [{"issue": "ORDER_NOT_APPROVED"}]}
            unit = order["purchase_units"][0]
            if order["status"] != "COMPLETED":
                amount = dict(unit["amount"])
                if self.capture_amount is not None:
                    amount["value"] = self.capture_amount
                capture = {"id": f"CAP{next(self._seq):06d}", "status": "COMPLETED", "amount": amount}
                capture["custom_id"] = unit.get("custom_id")
                unit["payments"] = {"captures": [capture]}
                order["status"] = "COMPLETED"
            return 201, order
        match = re.fullmatch(r"/v2/payments/captures/([^/]+)/refund", path)
        if match:
            return 201, {"id": f"RF{next(self._seq):06d}", "status": "COMPLETED", "amount": body.get("amount")}
        return 404, {"name": "RESOURCE_NOT_FOUND"}

    def approve(self, order_id: str) -> None:
        """The buyer approved the order on PayPal's page."""
        self.orders[order_id]["status"] = "APPROVED"

    def __enter__(self) -> PayPalDouble:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
