"""Outgoing HTTP: signed webhooks and SMS through a Twilio-compatible API (httpx).

Webhooks are a JSON POST of the exact bytes stored in the outbox, signed with
`X-KitchenAsty-Signature: sha256=<hex HMAC-SHA256(body, advanced.webhookSigningSecret)>`, and carry
`X-KitchenAsty-Event` and `X-KitchenAsty-Delivery` (the outbox id: the same on every retry, so a receiver can
de-duplicate). 2xx means delivered; redirects are never followed; the whole exchange is limited to 10 s.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import urlsplit

import httpx

from kitchenasty import __version__
from kitchenasty.core.logging import register_secret

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


def new_client() -> httpx.AsyncClient:
    """The client for webhooks and SMS: 10 s timeout, redirects not followed."""
    return httpx.AsyncClient(
        follow_redirects=False,
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


def _describe(response: httpx.Response) -> str:
    host = response.request.url.host
    if response.is_redirect:
        where = response.headers.get("location", "?")
        return f"HTTP {response.status_code} from {host}: redirect to {where} not followed"
    snippet = " ".join(response.text[:200].split())
    return f"HTTP {response.status_code} from {host}" + (f": {snippet}" if snippet else "")


async def _post(client: httpx.AsyncClient, url: str, **kwargs: object) -> httpx.Response:
    """POST with the whole exchange (connect, send, answer) limited to TIMEOUT_SECONDS."""
    try:
        async with asyncio.timeout(TIMEOUT_SECONDS):
            return await client.post(url, **kwargs)  # type: ignore[arg-type]
    except (httpx.TimeoutException, TimeoutError):
        raise OutgoingError(f"no answer from {urlsplit(url).hostname} within {TIMEOUT_SECONDS:g} s") from None
    except httpx.HTTPError as exc:
        reason = " ".join(str(exc).split()) or exc.__class__.__name__
        raise OutgoingError(f"cannot reach {urlsplit(url).hostname}: {reason}") from None


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
    """POST the signed body; returns the 2xx status, raises OutgoingError otherwise."""
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
) -> int:
    """Twilio-compatible: POST {base}/2010-04-01/Accounts/{sid}/Messages.json, form To/From/Body, basic auth."""
    register_secret(auth_token)
    url = f"{base_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
    response = await _post(
        client,
        url,
        data={"To": to, "From": from_number, "Body": body[:SMS_MAX_CHARS]},
        auth=httpx.BasicAuth(account_sid, auth_token),
    )
    if not response.is_success:
        raise OutgoingError(_describe(response))
    return response.status_code
