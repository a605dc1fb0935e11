"""Expected booking failures. Each maps to an ErrorCode of the contract; none stores anything."""

from __future__ import annotations


class BookingError(Exception):
    code = "INVALID_INPUT"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(BookingError):
    code = "INVALID_INPUT"


class NotFound(BookingError):
    code = "NOT_FOUND"


class NotEnoughSeats(BookingError):
    code = "NOT_ENOUGH_SEATS"

    def __init__(self, message: str, seats_available: int) -> None:
        super().__init__(message, "tickets")
        self.seats_available = seats_available


class SessionClosed(BookingError):
    code = "SESSION_CLOSED"


class HoldExpired(BookingError):
    code = "HOLD_EXPIRED"


class AlreadyCancelled(BookingError):
    code = "ALREADY_CANCELLED"


class CancellationClosed(BookingError):
    code = "CANCELLATION_CLOSED"


class IdempotencyConflict(BookingError):
    code = "IDEMPOTENCY_CONFLICT"
