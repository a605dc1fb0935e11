"""Expected failures of mutations: typed members of each result union (UserError)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="Stable codes of expected failures.")
class ErrorCode(Enum):
    NOT_FOUND = strawberry.enum_value("NOT_FOUND", description="No such object, or not yours.")
    INVALID_INPUT = strawberry.enum_value(
        "INVALID_INPUT", description="The input breaks a rule; see field and message."
    )
    NOT_ENOUGH_SEATS = strawberry.enum_value("NOT_ENOUGH_SEATS", description="Fewer seats are left than asked for.")
    SESSION_CLOSED = strawberry.enum_value(
        "SESSION_CLOSED", description="The session is cancelled, past or past its booking cut-off."
    )
    HOLD_EXPIRED = strawberry.enum_value("HOLD_EXPIRED", description="The hold ran out.")
    ALREADY_CANCELLED = strawberry.enum_value("ALREADY_CANCELLED", description="Already cancelled.")
    CANCELLATION_CLOSED = strawberry.enum_value(
        "CANCELLATION_CLOSED", description="Past the tour's cancellation cut-off."
    )
    IDEMPOTENCY_CONFLICT = strawberry.enum_value(
        "IDEMPOTENCY_CONFLICT", description="The idempotency key was used with other input."
    )
    CAPACITY_BELOW_BOOKED = strawberry.enum_value(
        "CAPACITY_BELOW_BOOKED", description="Capacity would fall below seats booked."
    )
    INVALID_CALENDAR = strawberry.enum_value("INVALID_CALENDAR", description="The iCalendar file cannot be used.")
    FORBIDDEN = strawberry.enum_value("FORBIDDEN", description="Not allowed for this caller.")


@strawberry.interface(description="An expected failure the client can act on.")
class UserError:
    code: ErrorCode = strawberry.field(description="Stable machine-readable code.")
    message: str = strawberry.field(description="What went wrong, for people.")
    field: str | None = strawberry.field(description="The input field at fault, if one is.")


@strawberry.type(description="No such object, or it is not yours.")
class NotFoundError(UserError):
    pass


@strawberry.type(description="The input breaks a rule.")
class InvalidInputError(UserError):
    pass


@strawberry.type(description="Fewer seats are left than asked for.")
class NotEnoughSeatsError(UserError):
    seats_available: int = strawberry.field(description="Seats left in the session now.")


@strawberry.type(description="The session can no longer be booked.")
class SessionClosedError(UserError):
    pass


@strawberry.type(description="The hold ran out before it was confirmed.")
class HoldExpiredError(UserError):
    pass


@strawberry.type(description="The booking is already cancelled.")
class AlreadyCancelledError(UserError):
    pass


@strawberry.type(description="Too close to the session to cancel.")
class CancellationClosedError(UserError):
    pass


@strawberry.type(description="The idempotency key was already used with a different request.")
class IdempotencyConflictError(UserError):
    pass


@strawberry.type(description="Capacity cannot go below the seats already booked or held.")
class CapacityBelowBookedError(UserError):
    pass


@strawberry.type(description="The iCalendar file cannot be used; the message says why.")
class InvalidCalendarError(UserError):
    pass


@strawberry.type(description="This caller may not act on this object (e.g. another center's tour).")
class ForbiddenError(UserError):
    pass


ERROR_TYPES: dict[str, type] = {
    "NOT_FOUND": NotFoundError,
    "INVALID_INPUT": InvalidInputError,
    "NOT_ENOUGH_SEATS": NotEnoughSeatsError,
    "SESSION_CLOSED": SessionClosedError,
    "HOLD_EXPIRED": HoldExpiredError,
    "ALREADY_CANCELLED": AlreadyCancelledError,
    "CANCELLATION_CLOSED": CancellationClosedError,
    "IDEMPOTENCY_CONFLICT": IdempotencyConflictError,
    "CAPACITY_BELOW_BOOKED": CapacityBelowBookedError,
    "INVALID_CALENDAR": InvalidCalendarError,
    "FORBIDDEN": ForbiddenError,
}


def user_error(code: str, message: str, field: str | None, **extra: object) -> UserError:
    error_type = ERROR_TYPES[code]
    return error_type(code=ErrorCode(code), message=message, field=field, **extra)  # type: ignore[no-any-return]
