"""Outgoing HTTP: signed webhooks and SMS through a Twilio-compatible API (httpx).

Webhooks are a JSON POST of the exact bytes stored in the outbox, signed with
`X-KitchenAsty-Signature: sha256=<hex HMAC-SHA256(body, advanced.webhookSigningSecret)>`, and carry
`X-KitchenAsty-Event` and `X-KitchenAsty-Delivery` (the outbox id: the same on every retry, so a receiver can
de-duplicate). 2xx means delivered; redirects are never followed; the whole exchange is limited to 10 s.

Every request goes through `core.outbound` (the address connected to is checked: no loopback, link-local or, unless
allowed, private targets). A failure is described in our own words: the status code and a reason of ours, never
the remote body or headers (an answer may hold anything, and managers read `lastError`).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ssl
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx

from kitchenasty import __version__
from kitchenasty.core.logging import register_secret
from kitchenasty.core.outbound import GuardedTransport, OutboundPolicy, TargetRefused

TIMEOUT_SECONDS = 10.0
SIGNATURE_HEADER = "X-KitchenAsty-Signature"
EVENT_HEADER = "X-KitchenAsty-Event"
DELIVERY_HEADER = "X-KitchenAsty-Delivery"
RESERVED_HEADERS = frozenset(
    {"content-type", "content-length", "host", "transfer-encoding", "connection"}
    | {h.lower() for h in (SIGNATURE_HEADER, EVENT_HEADER, DELIVERY_HEADER)}
)
SMS_MAX_CHARS = 1600


class OutgoingError(Exception):
    """A webhook or SMS was not accepted; the message says why in one line."""


def new_client(policy: OutboundPolicy, *, verify: ssl.SSLContext | None = None) -> httpx.AsyncClient:
    """The one client for requests that leave the box: guarded by `policy`, 10 s timeout, redirects not followed,
    nothing taken from the environment (proxies, netrc)."""
    return httpx.AsyncClient(
        transport=GuardedTransport(policy, verify=verify),
        follow_redirects=False,
        trust_env=False,
        timeout=httpx.Timeout(TIMEOUT_SECONDS),
        headers={"User-Agent": f"KitchenAsty/{__version__}"},
    )


def sign(secret: str, body: bytes) -> str:
    """The value of X-KitchenAsty-Signature for `body`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_signature(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does: recompute the HMAC over the raw body and compare in constant time."""
    return hmac.compare_digest(sign(secret, body), header or "")


def is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _reason(status: int) -> str:
    if 300 <= status < 400:
        return "redirect not followed"
    if status in (401, 403):
        return "not authorised"
    if status in (404, 410):
        return "not found"
    if status == 429:
        return "rate limited"
    if 400 <= status < 500:
        return "request refused"
    if status >= 500:
        return "server error"
    return "unexpected answer"


def _describe(response: httpx.Response) -> str:
    """`HTTP <status> from <host>: <our reason>`; nothing of the answer's body or headers."""
    return f"HTTP {response.status_code} from {response.request.url.host}: {_reason(response.status_code)}"


def _connect_reason(exc: BaseException) -> str:
    """Our own words for a failed connection (a library's message may quote what the remote end sent)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return "its TLS certificate is not valid for this name"
        if isinstance(seen, ssl.SSLError):
            return "the TLS handshake failed"
        if isinstance(seen, ConnectionRefusedError) or "refused" in str(seen).lower():
            return "connection refused"
        if "cannot resolve" in str(seen):
            return "the name does not resolve"
        seen = seen.__cause__ or seen.__context__
    return "connection failed"


async def _post(client: httpx.AsyncClient, url: str, **kwargs: Any) -> httpx.Response:
    """POST with the whole exchange (connect, send, answer) limited to TIMEOUT_SECONDS; TargetRefused passes."""
    host = urlsplit(url).hostname
    try:
        async with asyncio.timeout(TIMEOUT_SECONDS):
            return await client.post(url, **kwargs)
    except TargetRefused:
        raise
    except (httpx.TimeoutException, TimeoutError):
        raise OutgoingError(f"no answer from {host} within {TIMEOUT_SECONDS:g} s") from None
    except httpx.ConnectError as exc:
        raise OutgoingError(f"cannot reach {host}: {_connect_reason(exc)}") from None
    except httpx.HTTPError as exc:
        raise OutgoingError(f"no valid answer from {host} ({exc.__class__.__name__})") from None


async def post_webhook(
    client: httpx.AsyncClient,
    *,
    url: str,
    body: bytes,
    secret: str,
    event: str,
    delivery_id: str,
    headers: Mapping[str, str] | None = None,
) -> int:
    """POST the signed body; returns the 2xx status, raises OutgoingError (or TargetRefused) otherwise."""
    register_secret(secret)
    sent_headers = {k: v for k, v in (headers or {}).items() if k.lower() not in RESERVED_HEADERS}
    sent_headers.update(
        {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(secret, body),
            EVENT_HEADER: event,
            DELIVERY_HEADER: delivery_id,
        }
    )
    response = await _post(client, url, content=body, headers=sent_headers)
    if not response.is_success:
        raise OutgoingError(_describe(response))
    return response.status_code


async def send_sms(
    client: httpx.AsyncClient,
    *,
    base_url: str,
    account_sid: str,
    auth_token: str,
    from_number: str,
    to: str,
    body: str,
    delivery_id: str | None = None,
) -> int:
    """Twilio-compatible: POST {base}/2010-04-01/Accounts/{sid}/Messages.json, form To/From/Body, basic auth;
    `X-KitchenAsty-Delivery` carries the delivery id (the same on every attempt) for a gateway that de-duplicates."""
    register_secret(auth_token)
    url = f"{base_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
    response = await _post(
        client,
        url,
        data={"To": to, "From": from_number, "Body": body[:SMS_MAX_CHARS]},
        auth=httpx.BasicAuth(account_sid, auth_token),
        headers={DELIVERY_HEADER: delivery_id} if delivery_id else None,
    )
    if not response.is_success:
        raise OutgoingError(_describe(response))
    return response.status_code
