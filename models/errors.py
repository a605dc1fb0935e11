"""Expected failures of domain operations: the one list of them.

Each class is one stable error code of the API. The GraphQL layer builds from this list its
`ErrorCode` enum (from `meaning`) and one `<Name>Error` type per class (described by the class's
docstring, with a field per entry of `details`), so adding a failure is adding a class here.
Raising one never stores anything: operations raise before they commit.
"""

from __future__ import annotations

from typing import ClassVar


class DomainError(Exception):
    """The input breaks a rule."""

    code: ClassVar[str] = "INVALID_INPUT"
    meaning: ClassVar[str] = "The input breaks a rule; see field and message."
    # Extra facts a client can act on: attribute name -> (type, description).
    details: ClassVar[dict[str, tuple[type, str]]] = {}

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """No such object, or it is not yours."""

    code = "NOT_FOUND"
    meaning = "No such object, or not yours."


class InvalidInput(DomainError):
    """The input breaks a rule."""

    code = "INVALID_INPUT"
    meaning = "The input breaks a rule; see field and message."


class NotEnoughSeats(DomainError):
    """Fewer seats are left than asked for."""

    code = "NOT_ENOUGH_SEATS"
    meaning = "Fewer seats are left than asked for."
    details = {"seats_available": (int, "Seats left in the session now.")}

    def __init__(self, message: str, seats_available: int) -> None:
        super().__init__(message, "tickets")
        self.seats_available = seats_available


class SessionClosed(DomainError):
    """The session can no longer be booked."""

    code = "SESSION_CLOSED"
    meaning = "The session is cancelled, past or past its booking cut-off."


class HoldExpired(DomainError):
    """The hold ran out before it was confirmed."""

    code = "HOLD_EXPIRED"
    meaning = "The hold ran out."


class AlreadyCancelled(DomainError):
    """The booking is already cancelled."""

    code = "ALREADY_CANCELLED"
    meaning = "Already cancelled."


class CancellationClosed(DomainError):
    """Too close to the session to cancel."""

    code = "CANCELLATION_CLOSED"
    meaning = "Past the tour's cancellation cut-off."


class IdempotencyConflict(DomainError):
    """The idempotency key was already used with a different request."""

    code = "IDEMPOTENCY_CONFLICT"
    meaning = "The idempotency key was used with other input."


class CapacityBelowBooked(DomainError):
    """Capacity cannot go below the seats already booked or held."""

    code = "CAPACITY_BELOW_BOOKED"
    meaning = "Capacity would fall below seats booked."


class InvalidCalendar(DomainError):
    """The iCalendar file cannot be used; the message says why."""

    code = "INVALID_CALENDAR"
    meaning = "The iCalendar file cannot be used."


class SeatsAvailable(DomainError):
    """The session has the seats asked for: book them instead of joining its waiting list."""

    code = "SEATS_AVAILABLE"
    meaning = "Enough seats are free: book them instead of waiting."
    details = {"seats_available": (int, "Seats left in the session now.")}

    def __init__(self, message: str, seats_available: int) -> None:
        super().__init__(message, "tickets")
        self.seats_available = seats_available


class Forbidden(DomainError):
    """This caller may not act on this object (e.g. another center's tour)."""

    code = "FORBIDDEN"
    meaning = "Not allowed for this caller."


# Every expected failure, in the order the API lists its codes.
ERRORS: tuple[type[DomainError], ...] = (
    NotFound,
    InvalidInput,
    NotEnoughSeats,
    SessionClosed,
    HoldExpired,
    AlreadyCancelled,
    CancellationClosed,
    IdempotencyConflict,
    CapacityBelowBooked,
    InvalidCalendar,
    Forbidden,
    SeatsAvailable,
)
