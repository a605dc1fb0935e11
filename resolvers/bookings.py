"""Booking mutations and the operator's reads of its bookings."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.booking import operations
from models.booking.requests import MAX_REASON_LENGTH, Contact, TicketLine, clean_text, seat_request
from models.errors import DomainError, InvalidInput, NotEnoughSeats
from resolvers.auth import require_operator
from schema.booking_inputs import CancelBookingInput, ConfirmBookingInput, HoldSeatsInput
from schema.ids import decode_id
from schema.types.booking import Booking
from schema.types.booking_results import (
    BookSeatsResult,
    BookSeatsSuccess,
    CancelBookingResult,
    CancelBookingSuccess,
    ConfirmBookingResult,
    ConfirmBookingSuccess,
    HoldSeatsResult,
    HoldSeatsSuccess,
)
from schema.types.user_errors import UserError, user_error


def as_user_error(error: DomainError) -> UserError:
    extra = {"seats_available": error.seats_available} if isinstance(error, NotEnoughSeats) else {}
    return user_error(error.code, error.message, error.field, **extra)


def _request(data: HoldSeatsInput):  # type: ignore[no-untyped-def]
    decoded = decode_id(data.session_id)
    if decoded is None or decoded[0] != "Session":
        raise InvalidInput("sessionId is not a Session id", "sessionId")
    return seat_request(
        decoded[1],
        [TicketLine(t.category, t.quantity) for t in data.tickets],
        Contact(data.contact.name, data.contact.phone, data.contact.email),
        data.idempotency_key,
        data.hold_minutes,
    )


async def _reserve(info: strawberry.Info, data: HoldSeatsInput, confirm: bool):  # type: ignore[no-untyped-def]
    operator = require_operator(info)
    context = info.context
    row = await operations.reserve(context.sessions, operator, _request(data), context.now, confirm=confirm)
    return Booking.from_row(row, context.now)


async def hold_seats(
    info: strawberry.Info, input: Annotated[HoldSeatsInput, strawberry.argument(description="What to hold.")]
) -> HoldSeatsResult:
    try:
        return HoldSeatsSuccess(booking=await _reserve(info, input, confirm=False))
    except DomainError as error:
        return as_user_error(error)  # type: ignore[return-value]


async def book_seats(
    info: strawberry.Info, input: Annotated[HoldSeatsInput, strawberry.argument(description="What to book.")]
) -> BookSeatsResult:
    try:
        return BookSeatsSuccess(booking=await _reserve(info, input, confirm=True))
    except DomainError as error:
        return as_user_error(error)  # type: ignore[return-value]


async def confirm_booking(
    info: strawberry.Info, input: Annotated[ConfirmBookingInput, strawberry.argument(description="Which hold.")]
) -> ConfirmBookingResult:
    operator = require_operator(info)
    context = info.context
    try:
        row = await operations.confirm_booking(context.sessions, operator, input.reference, context.now)
    except DomainError as error:
        return as_user_error(error)  # type: ignore[return-value]
    return ConfirmBookingSuccess(booking=Booking.from_row(row, context.now))


async def cancel_booking(
    info: strawberry.Info, input: Annotated[CancelBookingInput, strawberry.argument(description="Which booking.")]
) -> CancelBookingResult:
    operator = require_operator(info)
    context = info.context
    try:
        reason = clean_text(input.reason, "reason", MAX_REASON_LENGTH)
        row = await operations.cancel_booking(context.sessions, operator, input.reference, reason, context.now)
    except DomainError as error:
        return as_user_error(error)  # type: ignore[return-value]
    return CancelBookingSuccess(booking=Booking.from_row(row, context.now))


async def booking(
    info: strawberry.Info,
    reference: Annotated[str, strawberry.argument(description="The booking's reference, e.g. K7QM-4XRA.")],
) -> Booking | None:
    if len(reference) > 40:
        return None
    booking_view: Booking | None = await info.context.own_booking(reference)
    return booking_view
