from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from kitchenasty.auth.schemas import (
    CustomerLoginOut,
    LoginIn,
    MeOut,
    ResetConfirmIn,
    ResetRequestIn,
)
from kitchenasty.auth.service import AuthService
from kitchenasty.core.api import Message, Ok, ok
from kitchenasty.core.guards import (
    CurrentPrincipal,
    MaybePrincipal,
    admin_only,
    auth_cookie,
    authenticated,
    rate_limited,
)
from kitchenasty.core.openapi import errors
from kitchenasty.core.security import AUTH_COOKIE
from kitchenasty.customers.schemas import CustomerRegisterIn
from kitchenasty.customers.service import customer_out
from kitchenasty.services import ServicesDep
from kitchenasty.staff.schemas import StaffLoginOut, StaffRegisterIn
from kitchenasty.staff.service import staff_brief

# Documentation only: the handlers set the cookie themselves (its value is the token they answer with).
TOKEN_COOKIE = [
    Cookie(
        key=AUTH_COOKIE,
        httponly=True,
        samesite="lax",
        path="/",
        documentation_only=True,
        description="The same token as in the body, for browser pages and WebSockets (emptied by logout).",
    )
]


def _client(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


class AuthController(Controller):
    """`/api/auth`: logins set the token as an httpOnly cookie too, so browser pages and WebSockets carry it.

    Logins are throttled per account and per client, counting failures only (`AuthService`); a token past half
    its lifetime is renewed on use (`core.guards`: a new cookie, or the `X-Renewed-Token` header for Bearer use).
    """

    path = "/api/auth"
    tags = ["auth"]

    def _with_cookie(self, body: Any, token: FromPath[str], auth: AuthService, status: int) -> Response[Any]:
        max_age = int(auth.tokens.expiry.total_seconds())
        return Response(body, status_code=status, cookies=[auth_cookie(token, max_age)])

    @post("/staff/login", status_code=HTTP_200_OK, responses=errors(401, 429), response_cookies=TOKEN_COOKIE)
    async def staff_login(
        self, data: JSONBody[LoginIn], services: ServicesDep, request: Request[Any, Any, Any]
    ) -> Response[Ok[StaffLoginOut]]:
        auth = services.auth
        user = await auth.login_staff(data.email, data.password, client=_client(request))
        token = auth.issue("staff", user)
        return self._with_cookie(ok(StaffLoginOut(token=token, user=staff_brief(user))), token, auth, 200)

    @post("/staff/register", guards=[admin_only], status_code=HTTP_201_CREATED, responses=errors(409))
    async def staff_register(self, data: JSONBody[StaffRegisterIn], services: ServicesDep) -> Ok[StaffLoginOut]:
        user = await services.staff.create(email=data.email, password=data.password, name=data.name, role=data.role)
        return ok(StaffLoginOut(token=services.auth.issue("staff", user), user=staff_brief(user)))

    @post(
        "/customer/register",
        guards=[rate_limited("register")],
        status_code=HTTP_201_CREATED,
        responses=errors(409),
        response_cookies=TOKEN_COOKIE,
    )
    async def customer_register(
        self, data: JSONBody[CustomerRegisterIn], services: ServicesDep
    ) -> Response[Ok[CustomerLoginOut]]:
        auth = services.auth
        customer = await services.customers.register(data)
        token = auth.issue("customer", customer)
        return self._with_cookie(ok(CustomerLoginOut(token=token, customer=customer_out(customer))), token, auth, 201)

    @post(
        "/customer/login",
        status_code=HTTP_200_OK,
        responses=errors(401, 403, 429),
        response_cookies=TOKEN_COOKIE,
        description="403 `ACCOUNT_DEACTIVATED` (with a sentence) when the password is right but the restaurant "
        "deactivated the account.",
    )
    async def customer_login(
        self, data: JSONBody[LoginIn], services: ServicesDep, request: Request[Any, Any, Any]
    ) -> Response[Ok[CustomerLoginOut]]:
        auth = services.auth
        customer = await auth.login_customer(data.email, data.password, client=_client(request))
        token = auth.issue("customer", customer)
        return self._with_cookie(ok(CustomerLoginOut(token=token, customer=customer_out(customer))), token, auth, 200)

    @post("/logout", status_code=HTTP_200_OK, response_cookies=TOKEN_COOKIE)
    async def logout(self, services: ServicesDep, principal: MaybePrincipal) -> Response[Message]:
        """End the caller's session (Bearer token or cookie) and clear the cookie; without a valid token, only the
        cookie is cleared."""
        await services.auth.logout(principal)
        return Response(Message(message="Logged out"), cookies=[auth_cookie("", 0)])

    @get("/me", guards=[authenticated], responses=errors(404))
    async def me(self, principal: CurrentPrincipal, services: ServicesDep) -> Ok[MeOut]:
        return ok(await services.auth.me(principal))

    @post("/password-reset/request", guards=[rate_limited("reset")], status_code=HTTP_200_OK)
    async def request_reset(self, data: JSONBody[ResetRequestIn], services: ServicesDep) -> Message:
        await services.auth.request_reset(principal_type=data.type, email=data.email)
        return Message(message="If an account exists for this e-mail, a reset link is on its way.")

    @post("/password-reset/confirm", guards=[rate_limited("reset")], status_code=HTTP_200_OK)
    async def confirm_reset(self, data: JSONBody[ResetConfirmIn], services: ServicesDep) -> Message:
        await services.auth.reset_password(token=data.token, password=data.password)
        return Message(message="Password changed; you can log in now.")
