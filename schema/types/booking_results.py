"""Results of the booking mutations: a Success member or the UserErrors each can produce."""

from __future__ import annotations

import strawberry

from models.errors import (
    AlreadyCancelled,
    CancellationClosed,
    HoldExpired,
    IdempotencyConflict,
    InvalidInput,
    NotEnoughSeats,
    NotFound,
    SessionClosed,
)
from schema.types.booking import Booking
from schema.types.user_errors import result_union


@strawberry.type(description="Seats are held; confirm before holdExpiresAt.")
class HoldSeatsSuccess:
    booking: Booking = strawberry.field(description="The booking, status HELD.")


@strawberry.type(description="Seats are booked in one step.")
class BookSeatsSuccess:
    booking: Booking = strawberry.field(description="The booking, status CONFIRMED.")


@strawberry.type(description="The hold is now a confirmed booking.")
class ConfirmBookingSuccess:
    booking: Booking = strawberry.field(description="The booking, status CONFIRMED.")


@strawberry.type(description="The booking is cancelled and its seats are free again.")
class CancelBookingSuccess:
    booking: Booking = strawberry.field(description="The booking, status CANCELLED.")


RESERVE_ERRORS = [InvalidInput, NotFound, NotEnoughSeats, SessionClosed, IdempotencyConflict]
HoldSeatsResult = result_union(
    "HoldSeatsResult", "The hold, or why it could not be made.", HoldSeatsSuccess, RESERVE_ERRORS
)
BookSeatsResult = result_union(
    "BookSeatsResult", "The booking, or why it could not be made.", BookSeatsSuccess, RESERVE_ERRORS
)
ConfirmBookingResult = result_union(
    "ConfirmBookingResult",
    "The confirmed booking, or why it could not be confirmed.",
    ConfirmBookingSuccess,
    [NotFound, HoldExpired, AlreadyCancelled, SessionClosed],
)
CancelBookingResult = result_union(
    "CancelBookingResult",
    "The cancelled booking, or why it could not be cancelled.",
    CancelBookingSuccess,
    [NotFound, AlreadyCancelled, CancellationClosed, HoldExpired, InvalidInput],
)
