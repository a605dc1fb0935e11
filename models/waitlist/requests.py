"""What an operator asks for when joining a waiting list, checked before anything is touched."""

from __future__ import annotations

from dataclasses import replace

from models.booking.requests import Contact, SeatRequest, TicketLine, seat_request
from models.errors import InvalidInput

DEFAULT_OFFER_MINUTES = 30
MIN_OFFER_MINUTES = 5
MAX_OFFER_MINUTES = 240


def waitlist_request(
    session_id: int, tickets: list[TicketLine], contact: Contact, idempotency_key: str, offer_minutes: int | None
) -> SeatRequest:
    """A seat request whose `hold_minutes` is how long an offer to the entry is held."""
    minutes = DEFAULT_OFFER_MINUTES if offer_minutes is None else offer_minutes
    if not MIN_OFFER_MINUTES <= minutes <= MAX_OFFER_MINUTES:
        raise InvalidInput(f"offerMinutes must be between {MIN_OFFER_MINUTES} and {MAX_OFFER_MINUTES}", "offerMinutes")
    return replace(seat_request(session_id, tickets, contact, idempotency_key, None), hold_minutes=minutes)
