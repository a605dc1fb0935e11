"""Results of the booking mutations: a Success member or the UserErrors each can produce."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.types.booking import Booking
from schema.types.user_errors import (
    AlreadyCancelledError,
    CancellationClosedError,
    HoldExpiredError,
    IdempotencyConflictError,
    InvalidInputError,
    NotEnoughSeatsError,
    NotFoundError,
    SessionClosedError,
)


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


HoldSeatsResult = Annotated[
    HoldSeatsSuccess
    | InvalidInputError
    | NotFoundError
    | NotEnoughSeatsError
    | SessionClosedError
    | IdempotencyConflictError,
    strawberry.union("HoldSeatsResult", description="The hold, or why it could not be made."),
]
BookSeatsResult = Annotated[
    BookSeatsSuccess
    | InvalidInputError
    | NotFoundError
    | NotEnoughSeatsError
    | SessionClosedError
    | IdempotencyConflictError,
    strawberry.union("BookSeatsResult", description="The booking, or why it could not be made."),
]
ConfirmBookingResult = Annotated[
    ConfirmBookingSuccess | NotFoundError | HoldExpiredError | AlreadyCancelledError | SessionClosedError,
    strawberry.union("ConfirmBookingResult", description="The confirmed booking, or why it could not be confirmed."),
]
CancelBookingResult = Annotated[
    CancelBookingSuccess
    | NotFoundError
    | AlreadyCancelledError
    | CancellationClosedError
    | HoldExpiredError
    | InvalidInputError,
    strawberry.union("CancelBookingResult", description="The cancelled booking, or why it could not be cancelled."),
]
