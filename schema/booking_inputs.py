"""Inputs of the booking mutations."""

from __future__ import annotations

import strawberry


@strawberry.input(description="Seats of one ticket category.")
class TicketInput:
    category: str = strawberry.field(description="A category the tour prices, e.g. ADULT or CHILD.")
    quantity: int = strawberry.field(description="Seats of this category, at least 1.")


@strawberry.input(description="Who to reach about the booking.")
class ContactInput:
    name: str = strawberry.field(description="Name, 1-200 characters.")
    phone: str | None = strawberry.field(default=None, description="Phone number.")
    email: str | None = strawberry.field(default=None, description="E-mail address.")


@strawberry.input(description="Seats to hold (or book) in a session.")
class HoldSeatsInput:
    session_id: strawberry.ID = strawberry.field(description="Global id of the session.")
    tickets: list[TicketInput] = strawberry.field(description="Seats per ticket category.")
    contact: ContactInput = strawberry.field(description="Who to reach.")
    idempotency_key: str = strawberry.field(
        description="Your unique key for this request (1-200 characters); resending it returns the first result."
    )
    hold_minutes: int | None = strawberry.field(
        default=None, description="How long to hold, 1-60 minutes (default 15). Ignored by bookSeats."
    )


@strawberry.input(description="A held booking to confirm.")
class ConfirmBookingInput:
    reference: str = strawberry.field(description="The booking's reference.")


@strawberry.input(description="A booking to cancel.")
class CancelBookingInput:
    reference: str = strawberry.field(description="The booking's reference.")
    reason: str | None = strawberry.field(default=None, description="Why, up to 500 characters.")
