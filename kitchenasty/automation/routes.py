"""`/api/automation-rules` (SA, MGR; delete SA), `/api/automation/deliveries` (SA, MGR) and the mail test (SA)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from kitchenasty.automation.schemas import (
    CountOut,
    DeliveryOut,
    EventKindOut,
    MailTestIn,
    MailTestOut,
    PreviewIn,
    PreviewOut,
    RuleIn,
    RuleOut,
    RuleUpdateIn,
)
from kitchenasty.core.api import Message, Ok, Page, PageParams, ok, page
from kitchenasty.core.guards import CurrentPrincipal, admin_only, manager_or_admin
from kitchenasty.core.http import LimitQuery, PageQuery
from kitchenasty.core.openapi import errors
from kitchenasty.services import ServicesDep

DeliveryStatus = Literal["PENDING", "SENDING", "SENT", "FAILED"]
DeliveryChannel = Literal["email", "sms", "webhook"]


class AutomationRuleController(Controller):
    path = "/api/automation-rules"
    tags = ["automation"]

    @get("/", guards=[manager_or_admin], summary="List automation rules (newest first)")
    async def list_rules(
        self, services: ServicesDep, page_number: PageQuery = 1, limit: LimitQuery = 20
    ) -> Page[RuleOut]:
        params = PageParams(page=page_number, limit=limit)
        items, total = await services.automation.list_rules(params)
        return page(items, page=params.page, limit=params.limit, total=total)

    @post("/", guards=[manager_or_admin], status_code=HTTP_201_CREATED, summary="Create an automation rule")
    async def create_rule(
        self, data: JSONBody[RuleIn], services: ServicesDep, principal: CurrentPrincipal
    ) -> Ok[RuleOut]:
        return ok(await services.automation.create_rule(data, principal))

    @get("/{rule_id:str}", guards=[manager_or_admin])
    async def get_rule(self, rule_id: FromPath[str], services: ServicesDep) -> Ok[RuleOut]:
        return ok(await services.automation.get_rule(rule_id))

    @patch("/{rule_id:str}", guards=[manager_or_admin])
    async def update_rule(
        self, rule_id: FromPath[str], data: JSONBody[RuleUpdateIn], services: ServicesDep
    ) -> Ok[RuleOut]:
        return ok(await services.automation.update_rule(rule_id, data))

    @delete("/{rule_id:str}", guards=[admin_only], status_code=HTTP_200_OK)
    async def delete_rule(self, rule_id: FromPath[str], services: ServicesDep) -> Message:
        await services.automation.delete_rule(rule_id)
        return Message(message="Automation rule deleted")


class DeliveryController(Controller):
    path = "/api/automation/deliveries"
    tags = ["automation"]

    @get("/", guards=[manager_or_admin], summary="Outbox deliveries (e-mail, SMS, webhooks), newest first")
    async def list_deliveries(
        self,
        services: ServicesDep,
        page_number: PageQuery = 1,
        limit: LimitQuery = 20,
        status: Annotated[DeliveryStatus | None, QueryParameter(name="status")] = None,
        channel: Annotated[DeliveryChannel | None, QueryParameter(name="channel")] = None,
    ) -> Page[DeliveryOut]:
        params = PageParams(page=page_number, limit=limit)
        items, total = await services.automation.list_deliveries(params, status=status, channel=channel)
        return page(items, page=params.page, limit=params.limit, total=total)

    @post(
        "/retry-failed", guards=[manager_or_admin], status_code=HTTP_200_OK, summary="Send every failed delivery again"
    )
    async def retry_failed(self, services: ServicesDep) -> Ok[CountOut]:
        return ok(CountOut(count=await services.automation.retry_failed()))

    @post(
        "/failures/seen",
        guards=[manager_or_admin],
        status_code=HTTP_200_OK,
        summary="Someone looked at the failed deliveries: the dashboard stops counting them",
    )
    async def failures_seen(self, services: ServicesDep) -> Ok[CountOut]:
        return ok(CountOut(count=await services.automation.mark_failures_seen()))

    @post("/{delivery_id:str}/retry", guards=[manager_or_admin], status_code=HTTP_200_OK, responses=errors(409))
    async def retry_delivery(self, delivery_id: FromPath[str], services: ServicesDep) -> Ok[DeliveryOut]:
        return ok(await services.automation.retry_delivery(delivery_id))


@get(
    "/api/automation/events",
    guards=[manager_or_admin],
    tags=["automation"],
    summary="What the rule form offers, per event kind: [{event, description, paths: [{path, type, nullable, "
    "choices, operators}], operators: [{op, label, value}], actions: [{type, fields: [{name, required, template, "
    "maxLength, help}]}], recipients}]",
)
async def automation_events(services: ServicesDep) -> Ok[list[EventKindOut]]:
    return ok(services.automation.event_catalog())


@post(
    "/api/automation/preview",
    guards=[manager_or_admin],
    tags=["automation"],
    status_code=HTTP_200_OK,
    summary="Render one action {event, action: {type, to, subject, body | url, headers}} against the last real "
    "event of that kind, as the worker would -> {event, eventId, occurredAt, deliveries: [{channel, to, subject, "
    "html, text}], note}; nothing is sent or stored; `note` says why when there is nothing to show",
)
async def automation_preview(data: JSONBody[PreviewIn], services: ServicesDep) -> Ok[PreviewOut]:
    return ok(await services.automation.preview(data))


@post(
    "/api/settings/mail/test",
    guards=[admin_only],
    status_code=HTTP_200_OK,
    tags=["settings"],
    responses=errors(502, 504),
)
async def mail_test(data: JSONBody[MailTestIn], services: ServicesDep) -> Ok[MailTestOut]:
    """Send a test e-mail through the outbox with the effective mail settings and answer with the outcome:
    200 `{message, to, deliveryId, status, attempts, serverAnswer}` with the SMTP server's answer (code and text);
    502 `MAIL_SEND_FAILED` with a sentence saying why it failed (the server's refusal with its code, or why it
    could not be reached); 504 when no outcome came in time; 400 when mail is not configured."""
    return ok(await services.automation.send_test_mail(data.to))


ROUTES: list[Any] = [AutomationRuleController, DeliveryController, automation_events, automation_preview, mail_test]
