"""Inputs of the waiting-list mutations."""

from __future__ import annotations

import strawberry

from schema.booking_inputs import ContactInput, TicketInput


@strawberry.input(description="A group to put on a sold-out session's waiting list.")
class JoinWaitlistInput:
    session_id: strawberry.ID = strawberry.field(description="Global id of the session.")
    tickets: list[TicketInput] = strawberry.field(description="Seats per ticket category, 1 to the tour's maximum.")
    contact: ContactInput = strawberry.field(description="Who to reach.")
    idempotency_key: str = strawberry.field(
        description="Your unique key for this request (1-200 characters); resending it returns the first entry."
    )
    offer_minutes: int | None = strawberry.field(
        default=None, description="How long an offer of seats is held for you, 5-240 minutes (default 30)."
    )


@strawberry.input(description="A waiting-list entry to take out.")
class LeaveWaitlistInput:
    entry_id: strawberry.ID = strawberry.field(description="Global id of your entry.")
