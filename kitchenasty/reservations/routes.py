"""`/api/reservations`: availability (public); booking (guests, customers, staff for a guest); the guest's manage
link (read and cancel with `?t=`); customers' own bookings; staff lists, edits, walk-ins and trends; deleting a
booking is SUPER_ADMIN or MANAGER. `availability`, `my-reservations`, `analytics` and `walk-in` are declared before
`/{reservation_id}`."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Response, delete, get, patch, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from kitchenasty.core.api import Message, Ok, Page, PageParams, ok, page
from kitchenasty.core.guards import CurrentPrincipal, MaybePrincipal, customer_only, manager_or_admin, staff_only
from kitchenasty.core.http import IdempotencyKey, LimitQuery, PageQuery, created_or_replayed
from kitchenasty.core.openapi import errors
from kitchenasty.reservations.schemas import (
    AnalyticsOut,
    AvailabilityOut,
    ReservationIn,
    ReservationOut,
    ReservationUpdateIn,
    WalkInIn,
)
from kitchenasty.services import ServicesDep

ManageToken = Annotated[
    str | None, QueryParameter(name="t", max_length=100, description="The booking's manage token (its manage link)")
]
DateQuery = Annotated[str | None, QueryParameter(name="date", max_length=10, description="YYYY-MM-DD")]
LocationQuery = Annotated[str | None, QueryParameter(name="locationId", max_length=64)]


class ReservationController(Controller):
    path = "/api/reservations"
    tags = ["reservations"]

    @get(
        "/availability",
        summary="Table times of a date for a party: {locationId, date, partySize, stayMinutes, interval, "
        "slots: [{time, available, reason}], totalTables, note}",
        responses=errors(404),
    )
    async def availability(
        self,
        services: ServicesDep,
        location_id: LocationQuery = None,
        day: DateQuery = None,
        party_size: Annotated[int, QueryParameter(name="partySize", ge=1, le=1000)] = 2,
    ) -> Ok[AvailabilityOut]:
        return ok(await services.reservations.availability(location_id, day, party_size))

    @get(
        "/my-reservations",
        guards=[customer_only],
        summary="The signed-in customer's bookings, latest date first (paginated ReservationOut)",
    )
    async def my_reservations(
        self, services: ServicesDep, principal: CurrentPrincipal, page_number: PageQuery = 1, limit: LimitQuery = 20
    ) -> Page[ReservationOut]:
        params = PageParams(page=page_number, limit=limit)
        items, total = await services.reservations.my_reservations(principal, params)
        return page(items, page=params.page, limit=params.limit, total=total)

    @get(
        "/analytics",
        guards=[staff_only],
        summary="Reservation trends: bookings dated `days` (7-365, default 30) back and ahead, by day, weekday, "
        "party size, status, hour and lead time",
    )
    async def analytics(
        self,
        services: ServicesDep,
        days: Annotated[int | None, QueryParameter(ge=-100_000, le=100_000)] = None,
        location_id: LocationQuery = None,
    ) -> Ok[AnalyticsOut]:
        return ok(await services.reservations.analytics(days, location_id))

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Book a table: {locationId, date, time, partySize, comment?, guestName, guestEmail, guestPhone} "
        "(guest fields not needed when signed in as a customer) -> ReservationOut with manageUrl",
        responses={
            200: ResponseSpec(
                data_container=Ok[ReservationOut],
                description="A retry with an `Idempotency-Key` already used: the booking made the first time "
                "(header `Idempotent-Replayed: true`).",
            ),
            **errors(401, 409),
        },
    )
    async def book(
        self,
        data: JSONBody[ReservationIn],
        services: ServicesDep,
        principal: MaybePrincipal,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[Ok[ReservationOut]]:
        booked, replayed = await services.reservations.book(data, principal, idempotency_key)
        return created_or_replayed(ok(booked), replayed)

    @post(
        "/walk-in",
        guards=[staff_only],
        status_code=HTTP_201_CREATED,
        summary="Seat a walk-in party now: {locationId, partySize, tableId?, guestName?, guestPhone?, guestEmail?, "
        "comment?} -> a SEATED ReservationOut",
        responses=errors(409),
    )
    async def walk_in(self, data: JSONBody[WalkInIn], services: ServicesDep) -> Ok[ReservationOut]:
        return ok(await services.reservations.walk_in(data))

    @get(
        "/",
        guards=[staff_only],
        summary="Bookings by date and time, filtered by date (or from/to), locationId, status (comma list) and "
        "needsReassignment (paginated ReservationOut)",
    )
    async def list_reservations(
        self,
        services: ServicesDep,
        page_number: PageQuery = 1,
        limit: LimitQuery = 20,
        day: DateQuery = None,
        date_from: Annotated[str | None, QueryParameter(name="from", max_length=10)] = None,
        date_to: Annotated[str | None, QueryParameter(name="to", max_length=10)] = None,
        location_id: LocationQuery = None,
        status: Annotated[str | None, QueryParameter(max_length=200)] = None,
        needs_reassignment: Annotated[bool | None, QueryParameter(name="needsReassignment")] = None,
    ) -> Page[ReservationOut]:
        params = PageParams(page=page_number, limit=limit)
        items, total = await services.reservations.list_reservations(
            params,
            day=day,
            date_from=date_from,
            date_to=date_to,
            location_id=location_id,
            status=status,
            needs_reassignment=needs_reassignment,
        )
        return page(items, page=params.page, limit=params.limit, total=total)

    @get(
        "/{reservation_id:str}",
        summary="One booking: staff, its customer, or `?t=<manageToken>` (ReservationOut)",
        responses=errors(403),
    )
    async def get_reservation(
        self, reservation_id: FromPath[str], services: ServicesDep, principal: MaybePrincipal, token: ManageToken = None
    ) -> Ok[ReservationOut]:
        return ok(await services.reservations.get_for_viewer(reservation_id, principal, token))

    @patch(
        "/{reservation_id:str}",
        guards=[staff_only],
        summary="Staff: {status?, tableId?, date?, time?, partySize?, comment?} -> ReservationOut; a transition "
        "outside the workflow is 400, a move onto a taken table 409",
        responses=errors(409),
    )
    async def update_reservation(
        self, reservation_id: FromPath[str], data: JSONBody[ReservationUpdateIn], services: ServicesDep
    ) -> Ok[ReservationOut]:
        return ok(await services.reservations.update(reservation_id, data))

    @post(
        "/{reservation_id:str}/cancel",
        status_code=HTTP_200_OK,
        summary="Cancel a booking: staff before it is seated; its customer or `?t=<manageToken>` until the "
        "cancellation cut-off (ReservationOut)",
        responses=errors(403),
    )
    async def cancel_reservation(
        self, reservation_id: FromPath[str], services: ServicesDep, principal: MaybePrincipal, token: ManageToken = None
    ) -> Ok[ReservationOut]:
        return ok(await services.reservations.cancel(reservation_id, principal, token))

    @delete("/{reservation_id:str}", guards=[manager_or_admin], status_code=HTTP_200_OK, summary="Delete a booking")
    async def delete_reservation(self, reservation_id: FromPath[str], services: ServicesDep) -> Message:
        await services.reservations.delete(reservation_id)
        return Message(message="Reservation deleted")


ROUTES: list[Any] = [ReservationController]
