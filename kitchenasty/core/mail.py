"""Sending e-mail over SMTP (aiosmtplib).

`MailTransport` holds the connection configuration built from the resolved `mail` settings group (DB -> TOML ->
env -> default, read through the callable it is given) and rebuilds it whenever those values change, or at once
after `invalidate()` (called on every mail-settings save), so a change applies to the next e-mail without a
restart. Encryption: `none` (plain), `tls` (STARTTLS, required) or `ssl` (implicit TLS, usually port 465).

A message sent for an outbox delivery carries `Message-ID: <delivery id@sender domain>`, the same on every attempt,
so a mail server or a mail client can drop a second copy sent after a crash. `send` reports the moment the server
accepted the message (its answer to DATA), before QUIT, so the delivery is marked sent as early as possible.
"""

from __future__ import annotations

import contextlib
import html as html_lib
import re
import ssl
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from typing import Any, Literal, cast

import aiosmtplib

from kitchenasty.core.logging import register_secret

Encryption = Literal["none", "tls", "ssl"]
SMTP_TIMEOUT_SECONDS = 15.0
FALLBACK_SENDER = "noreply@kitchenasty.local"
MAX_ANSWER_CHARS = 500


class MailError(Exception):
    """Sending failed; the message is one line a person can act on (never contains the password)."""


class MailNotConfigured(MailError):
    pass


@dataclass(frozen=True)
class MailConfig:
    host: str
    port: int
    username: str
    password: str = field(repr=False)
    encryption: Encryption
    sender_name: str
    sender_email: str
    timeout: float = SMTP_TIMEOUT_SECONDS
    tls_context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_settings(cls, values: Mapping[str, Any]) -> MailConfig | None:
        """From the `mail` group as camelCase fields (`smtpHost`, ...); None when no SMTP host is set."""
        host = str(values.get("smtpHost") or "").strip()
        if not host:
            return None
        encryption = values.get("encryption") or "tls"
        password = str(values.get("smtpPass") or "")
        register_secret(password)
        username = str(values.get("smtpUser") or "")
        sender_email = str(values.get("senderEmail") or "").strip()
        if not sender_email:
            sender_email = username if "@" in username else FALLBACK_SENDER
        return cls(
            host=host,
            port=int(values.get("smtpPort") or 587),
            username=username,
            password=password,
            encryption=cast(Encryption, encryption),  # one of the three choices the setting allows
            sender_name=str(values.get("senderName") or "").strip(),
            sender_email=sender_email,
            tls_context=ssl.create_default_context() if encryption in ("tls", "ssl") else None,
        )

    @property
    def from_header(self) -> str:
        return formataddr((self.sender_name, self.sender_email)) if self.sender_name else self.sender_email


def build_message(
    config: MailConfig,
    *,
    to: Sequence[str],
    subject: str,
    html: str,
    text: str | None = None,
    headers: Mapping[str, str] | None = None,
    message_id: str | None = None,
) -> EmailMessage:
    """A multipart/alternative message (text + HTML) from the configured sender; `message_id` (e.g. the delivery
    id) makes the Message-ID stable across attempts, else it is random."""
    message = EmailMessage()
    message["From"] = config.from_header
    message["To"] = ", ".join(to)
    message["Subject"] = " ".join(subject.split())  # no line breaks in a header
    message["Date"] = formatdate(localtime=False)
    domain = _domain(config.sender_email)
    message["Message-ID"] = f"<{message_id}@{domain}>" if message_id else make_msgid(domain=domain)
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text if text is not None else html_to_text(html))
    message.add_alternative(html, subtype="html")
    return message


def _domain(address: str) -> str:
    try:
        return Address(addr_spec=address).domain or "kitchenasty.local"
    except (ValueError, IndexError):
        return "kitchenasty.local"


def html_to_text(html: str) -> str:
    """A readable plain-text alternative of a simple HTML body."""
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", "", html)
    text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>|</tr>|</h[1-6]>", "\n", text)
    text = re.sub(r"(?i)<li\b[^>]*>", "- ", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = html_lib.unescape(text)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


Accepted = Callable[[str], Awaitable[None]]
"""Called with the server's answer to DATA (`250 2.0.0 Ok: queued as 4Xk…`) once it took the message."""


async def send(config: MailConfig, message: EmailMessage, *, on_accepted: Accepted | None = None) -> str:
    """Connect, authenticate when a user is set, send, then await `on_accepted` (the server took the message)
    before QUIT; a failure after that point is not an error. Returns the server's answer to DATA (code and text);
    raises MailError with the server's answer when it refuses."""
    recipients = [addr.strip() for addr in str(message["To"]).split(",") if addr.strip()]
    client = aiosmtplib.SMTP(
        hostname=config.host,
        port=config.port,
        username=config.username or None,
        password=(config.password or None) if config.username else None,
        use_tls=config.encryption == "ssl",
        start_tls=config.encryption == "tls",
        tls_context=config.tls_context,
        timeout=config.timeout,
    )
    try:
        try:
            await client.connect()
            _, text = await client.send_message(message, sender=config.sender_email, recipients=recipients)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            refused = "; ".join(f"{r.recipient}: {r.code} {r.message}" for r in exc.recipients)
            raise MailError(f"SMTP server refused the recipients ({refused})") from None
        except aiosmtplib.SMTPAuthenticationError as exc:
            raise MailError(
                f"SMTP authentication failed for user {config.username!r}: {exc.code} {exc.message}"
            ) from None
        except aiosmtplib.SMTPResponseException as exc:
            raise MailError(f"SMTP server {config.host}:{config.port} answered {exc.code} {exc.message}") from None
        except aiosmtplib.SMTPTimeoutError:
            raise MailError(f"SMTP server {config.host}:{config.port} timed out after {config.timeout:g} s") from None
        except aiosmtplib.SMTPConnectError as exc:
            raise MailError(f"cannot connect to SMTP server {config.host}:{config.port} ({_reason(exc)})") from None
        except aiosmtplib.SMTPException as exc:
            raise MailError(f"SMTP error with {config.host}:{config.port}: {_reason(exc)}") from None
        except (OSError, ssl.SSLError) as exc:
            raise MailError(f"cannot reach SMTP server {config.host}:{config.port} ({_reason(exc)})") from None
        # aiosmtplib raises unless DATA was answered 250 (RFC 5321's only success code for it)
        answer = " ".join(f"250 {text}".split())[:MAX_ANSWER_CHARS]
        if on_accepted is not None:
            await on_accepted(answer)
        with contextlib.suppress(aiosmtplib.SMTPException, OSError):
            await client.quit()
    finally:
        client.close()
    return answer


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or exc.__class__.__name__


MailSettingsLoader = Callable[[], Awaitable[Mapping[str, Any]]]


class MailTransport:
    """The cached SMTP configuration, rebuilt when the mail settings change (or after `invalidate()`)."""

    def __init__(self, load: MailSettingsLoader) -> None:
        self._load = load
        self._key: tuple[tuple[str, Any], ...] | None = None
        self._config: MailConfig | None = None
        self.builds = 0

    def invalidate(self) -> None:
        self._key = None
        self._config = None

    async def config(self) -> MailConfig | None:
        values = await self._load()
        key = tuple(sorted((k, v) for k, v in values.items()))
        if key != self._key:
            self._config = MailConfig.from_settings(values)
            self._key = key
            self.builds += 1
        return self._config

    async def send(
        self,
        *,
        to: Sequence[str],
        subject: str,
        html: str,
        text: str | None = None,
        headers: Mapping[str, str] | None = None,
        message_id: str | None = None,
        on_accepted: Accepted | None = None,
    ) -> str:
        config = await self.config()
        if config is None:
            raise MailNotConfigured("mail is not configured (no SMTP host in the mail settings)")
        message = build_message(
            config, to=to, subject=subject, html=html, text=text, headers=headers, message_id=message_id
        )
        return await send(config, message, on_accepted=on_accepted)
