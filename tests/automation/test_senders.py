"""The senders on their own: SMTP encryption modes and config caching, webhook signing and redirects."""

from __future__ import annotations

import json

import pytest

from kitchenasty.core import http_out, mail
from kitchenasty.core.config import BootSettings
from kitchenasty.core.outbound import OutboundPolicy
from tests.servers import HTTPReceiver, SMTPServer, free_port


def mail_settings(port: int, **changes: object) -> dict[str, object]:
    return {
        "smtpHost": "127.0.0.1",
        "smtpPort": port,
        "smtpUser": "",
        "smtpPass": "",
        "senderName": "Pizzeria",
        "senderEmail": "kitchen@pizzeria.example",
        "encryption": "none",
        **changes,
    }


async def test_mail_transport_sends_a_text_and_html_message(smtp: SMTPServer) -> None:
    settings = mail_settings(smtp.port)

    async def load() -> dict[str, object]:
        return settings

    transport = mail.MailTransport(load)
    await transport.send(to=["a@example.com", "b@example.com"], subject="Hello\nthere", html="<p>Hi <b>you</b></p>")

    [received] = smtp.wait_for(1)
    assert received.rcpt_tos == ["a@example.com", "b@example.com"]
    assert received.mail_from == "kitchen@pizzeria.example"
    assert received.subject == "Hello there"
    types = [p.get_content_type() for p in received.message.walk()]
    assert types == ["multipart/alternative", "text/plain", "text/html"]
    assert "Hi you" in received.text()


async def test_mail_transport_rebuilds_its_config_only_when_the_settings_change(smtp: SMTPServer) -> None:
    settings = mail_settings(smtp.port)

    async def load() -> dict[str, object]:
        return dict(settings)

    transport = mail.MailTransport(load)
    first = await transport.config()
    assert first is not None
    assert await transport.config() is first
    assert transport.builds == 1
    settings["senderName"] = "Other"
    changed = await transport.config()
    assert changed is not None
    assert (changed.from_header, transport.builds) == ("Other <kitchen@pizzeria.example>", 2)
    transport.invalidate()
    assert await transport.config() == changed
    assert transport.builds == 3


async def test_mail_transport_without_a_host_is_not_configured() -> None:
    async def load() -> dict[str, object]:
        return mail_settings(25, smtpHost="")

    transport = mail.MailTransport(load)
    assert await transport.config() is None
    with pytest.raises(mail.MailNotConfigured):
        await transport.send(to=["a@example.com"], subject="s", html="h")


async def test_mail_starttls_required_fails_clearly_on_a_plain_server(smtp: SMTPServer) -> None:
    config = mail.MailConfig.from_settings(mail_settings(smtp.port, encryption="tls"))
    assert config is not None
    message = mail.build_message(config, to=["a@example.com"], subject="s", html="<p>h</p>")
    with pytest.raises(mail.MailError, match="STARTTLS"):
        await mail.send(config, message)
    assert smtp.inbox == []


async def test_mail_unreachable_server_error_names_host_and_port() -> None:
    port = free_port()
    config = mail.MailConfig.from_settings(mail_settings(port))
    assert config is not None
    message = mail.build_message(config, to=["a@example.com"], subject="s", html="<p>h</p>")
    with pytest.raises(mail.MailError, match=rf"cannot connect to SMTP server 127\.0\.0\.1:{port}"):
        await mail.send(config, message)


def test_mail_config_from_header_and_sender_fallbacks() -> None:
    config = mail.MailConfig.from_settings(mail_settings(25, senderEmail="", smtpUser="mailer@example.com"))
    assert config is not None
    assert config.from_header == "Pizzeria <mailer@example.com>"
    bare = mail.MailConfig.from_settings(mail_settings(25, senderName="", senderEmail="", smtpUser="mailer"))
    assert bare is not None
    assert bare.from_header == mail.FALLBACK_SENDER


async def test_webhook_signature_is_an_hmac_of_the_exact_body(boot: BootSettings) -> None:
    body = json.dumps({"event": "order.created", "data": {"total": 12.5}}).encode()
    with HTTPReceiver() as receiver:
        async with http_out.new_client(OutboundPolicy(boot.outbound_allowed_hosts)) as client:
            status = await http_out.post_webhook(
                client, url=receiver.url, body=body, secret="s3cret-key", event="order.created", delivery_id="d1"
            )
        [request] = receiver.wait_for(1)
    assert status == 200
    assert request.body == body
    assert http_out.verify_signature("s3cret-key", request.body, request.headers["x-kitchenasty-signature"])
    assert not http_out.verify_signature("other-key", request.body, request.headers["x-kitchenasty-signature"])


async def test_webhook_redirects_are_not_followed(boot: BootSettings) -> None:
    where = {"Location": "http://169.254.169.254/latest/meta-data/"}
    with HTTPReceiver(responses=[302], headers=where) as receiver:
        async with http_out.new_client(OutboundPolicy(boot.outbound_allowed_hosts)) as client:
            with pytest.raises(http_out.OutgoingError, match=r"^HTTP 302 from 127\.0\.0\.1: redirect not followed$"):
                await http_out.post_webhook(
                    client, url=receiver.url, body=b"{}", secret="k", event="e", delivery_id="d1"
                )
        assert len(receiver.requests) == 1


async def test_webhook_unreachable_receiver_is_an_outgoing_error(boot: BootSettings) -> None:
    async with http_out.new_client(OutboundPolicy(boot.outbound_allowed_hosts)) as client:
        with pytest.raises(http_out.OutgoingError, match=r"^cannot reach 127\.0\.0\.1: connection refused$"):
            await http_out.post_webhook(
                client, url=f"http://127.0.0.1:{free_port()}/", body=b"{}", secret="k", event="e", delivery_id="d"
            )
