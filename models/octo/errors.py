"""OCTO's errors: `{"error", "errorMessage"}` plus the offending id, answered with status 400
(the only error status the OCTO document declares). Craftway's domain errors map onto them."""

from __future__ import annotations

import json
from typing import Any

from models.errors import (
    AlreadyCancelled,
    CancellationClosed,
    DomainError,
    HoldExpired,
    IdempotencyConflict,
    NotEnoughSeats,
    NotFound,
    SessionClosed,
)


class OctoError(Exception):
    def __init__(self, code: str, message: str, **ids: Any) -> None:
        super().__init__(message)
        self.code, self.message, self.ids = code, message, ids

    def body(self) -> dict[str, Any]:
        """The offending ids as strings (as OCTO types them), whatever the request sent."""
        ids = {name: value if isinstance(value, str) else json.dumps(value) for name, value in self.ids.items()}
        return {"error": self.code, "errorMessage": self.message, **ids}


def bad_request(message: str) -> OctoError:
    return OctoError("BAD_REQUEST", message)


UNPROCESSABLE = (NotEnoughSeats, SessionClosed, HoldExpired, AlreadyCancelled, CancellationClosed, IdempotencyConflict)


def from_domain(error: DomainError, uuid: str | None = None) -> OctoError:
    """The OCTO error for a refusal of Craftway's own rules."""
    if isinstance(error, NotFound):
        return OctoError("INVALID_BOOKING_UUID", error.message, uuid=uuid)
    if isinstance(error, UNPROCESSABLE):
        return OctoError("UNPROCESSABLE_ENTITY", error.message)
    return bad_request(error.message)
