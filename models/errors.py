"""Expected failures of domain operations. Each maps to an ErrorCode of the contract; none stores anything."""

from __future__ import annotations


class DomainError(Exception):
    code = "INVALID_INPUT"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    code = "INVALID_INPUT"


class NotFound(DomainError):
    code = "NOT_FOUND"


class NotEnoughSeats(DomainError):
    code = "NOT_ENOUGH_SEATS"

    def __init__(self, message: str, seats_available: int) -> None:
        super().__init__(message, "tickets")
        self.seats_available = seats_available


class SessionClosed(DomainError):
    code = "SESSION_CLOSED"


class HoldExpired(DomainError):
    code = "HOLD_EXPIRED"


class AlreadyCancelled(DomainError):
    code = "ALREADY_CANCELLED"


class CancellationClosed(DomainError):
    code = "CANCELLATION_CLOSED"


class IdempotencyConflict(DomainError):
    code = "IDEMPOTENCY_CONFLICT"


class CapacityBelowBooked(DomainError):
    code = "CAPACITY_BELOW_BOOKED"


class InvalidCalendar(DomainError):
    code = "INVALID_CALENDAR"


class Forbidden(DomainError):
    code = "FORBIDDEN"
