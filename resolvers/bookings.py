"""Booking mutations and the operator's read of one booking."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.booking import operations
from models.booking.queries import owned_booking
from models.booking.requests import MAX_REASON_LENGTH, Contact, SeatRequest, TicketLine, clean_text, seat_request
from resolvers.context import Info
from resolvers.mutation import mutation
from schema.booking_inputs import CancelBookingInput, ConfirmBookingInput, HoldSeatsInput
from schema.ids import decode_id_of
from schema.permissions import require_operator
from schema.types.booking import Booking
from schema.types.booking_results import (
    BookSeatsSuccess,
    CancelBookingSuccess,
    ConfirmBookingSuccess,
    HoldSeatsSuccess,
)


def _request(data: HoldSeatsInput) -> SeatRequest:
    return seat_request(
        decode_id_of(data.session_id, "Session", "sessionId"),
        [TicketLine(t.category, t.quantity) for t in data.tickets],
        Contact(data.contact.name, data.contact.phone, data.contact.email),
        data.idempotency_key,
        data.hold_minutes,
    )


async def _reserve(info: Info, data: HoldSeatsInput, confirm: bool) -> Booking:
    context = info.context
    operator = require_operator(context)
    row = await operations.reserve(context.sessions, operator, _request(data), context.now, confirm=confirm)
    return Booking.from_row(row, context.now)


@mutation
async def hold_seats(
    info: Info, input: Annotated[HoldSeatsInput, strawberry.argument(description="What to hold.")]
) -> HoldSeatsSuccess:
    return HoldSeatsSuccess(booking=await _reserve(info, input, confirm=False))


@mutation
async def book_seats(
    info: Info, input: Annotated[HoldSeatsInput, strawberry.argument(description="What to book.")]
) -> BookSeatsSuccess:
    return BookSeatsSuccess(booking=await _reserve(info, input, confirm=True))


@mutation
async def confirm_booking(
    info: Info, input: Annotated[ConfirmBookingInput, strawberry.argument(description="Which hold.")]
) -> ConfirmBookingSuccess:
    context = info.context
    operator = require_operator(context)
    row = await operations.confirm_booking(context.sessions, operator, input.reference, context.now)
    return ConfirmBookingSuccess(booking=Booking.from_row(row, context.now))


@mutation
async def cancel_booking(
    info: Info, input: Annotated[CancelBookingInput, strawberry.argument(description="Which booking.")]
) -> CancelBookingSuccess:
    context = info.context
    operator = require_operator(context)
    reason = clean_text(input.reason, "reason", MAX_REASON_LENGTH)
    row = await operations.cancel_booking(context.sessions, operator, input.reference, reason, context.now)
    return CancelBookingSuccess(booking=Booking.from_row(row, context.now))


async def booking(
    info: Info,
    reference: Annotated[str, strawberry.argument(description="The booking's reference, e.g. K7QM-4XRA.")],
) -> Booking | None:
    context = info.context
    operator = require_operator(context)
    async with context.sessions() as db:
        row = await owned_booking(db, operator.pk, reference)
    return Booking.from_row(row, context.now) if row else None
