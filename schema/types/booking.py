"""Bookings, visible only to the operator that made them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import strawberry

from models.booking.queries import effective_status
from models.tables import Booking as BookingRow
from models.tables import BookingEvent as EventRow
from schema.errors import forbidden
from schema.ids import encode_id
from schema.types.enums import BookingStatus
from schema.types.node import Node
from schema.types.session import Session

if TYPE_CHECKING:
    from resolvers.context import Context


@strawberry.type(description="Seats of one ticket category in a booking.")
class TicketCount:
    category: str = strawberry.field(description="Ticket category, e.g. ADULT.")
    quantity: int = strawberry.field(description="Number of seats of this category.")


@strawberry.type(description="Who to reach about a booking; shown only to the booking's operator.")
class Contact:
    name: str = strawberry.field(description="Name of the group's contact.")
    phone: str | None = strawberry.field(description="Phone number.")
    email: str | None = strawberry.field(description="E-mail address.")


@strawberry.type(description="One state change of a booking.")
class BookingEvent:
    at: datetime = strawberry.field(description="When it happened.")
    actor: str = strawberry.field(description="Who made the change (an operator, a center, or Craftway itself).")
    from_status: BookingStatus | None = strawberry.field(description="Status before; null when the booking was made.")
    to_status: BookingStatus = strawberry.field(description="Status after.")
    reason: str | None = strawberry.field(description="Why, when a reason was given.")

    @classmethod
    def from_row(cls, row: EventRow) -> BookingEvent:
        return cls(
            at=row.at,
            actor=row.actor_name,
            from_status=BookingStatus(row.from_status) if row.from_status else None,
            to_status=BookingStatus(row.to_status),
            reason=row.reason,
        )


@strawberry.type(description="Seats an operator holds or has booked in a session.")
class Booking(Node):
    row: strawberry.Private[BookingRow]
    reference: str = strawberry.field(description="Short reference to quote, e.g. K7QM-4XRA.")
    status: BookingStatus = strawberry.field(description="State now; a lapsed hold reads EXPIRED.")
    seats: int = strawberry.field(description="Seats in total.")
    tickets: list[TicketCount] = strawberry.field(description="Seats per ticket category.")
    total_vnd: int = strawberry.field(description="Price of all tickets in VND, computed by Craftway.")
    hold_expires_at: datetime | None = strawberry.field(description="When a hold lapses unless confirmed.")
    created_at: datetime = strawberry.field(description="When the booking was made.")
    confirmed_at: datetime | None = strawberry.field(description="When it was confirmed.")
    cancelled_at: datetime | None = strawberry.field(description="When it was cancelled.")
    cancel_reason: str | None = strawberry.field(description="Why it was cancelled.")

    @classmethod
    def from_row(cls, row: BookingRow, now: datetime) -> Booking:
        assert row.id is not None
        return cls(
            row=row,
            id=strawberry.ID(encode_id("Booking", row.id)),
            reference=row.reference,
            status=BookingStatus(effective_status(row, now)),
            seats=row.seats,
            tickets=[TicketCount(category=t["category"], quantity=t["quantity"]) for t in row.tickets],
            total_vnd=row.total_vnd,
            hold_expires_at=row.hold_expires_at,
            created_at=row.created_at,
            confirmed_at=row.confirmed_at,
            cancelled_at=row.cancelled_at,
            cancel_reason=row.cancel_reason,
        )

    @strawberry.field(description="The session booked.")
    async def session(self, info: strawberry.Info[Context, None]) -> Session:
        view = await info.context.loaders.session.load(self.row.session_id)
        return Session.from_view(view, info.context.now)

    @strawberry.field(description="The group's contact; only the booking's operator may read it.")
    def contact(self, info: strawberry.Info[Context, None]) -> Contact:
        principal = info.context.principal
        if principal is None or principal.id != self.row.principal_id:
            raise forbidden("Only the booking's operator may read its contact.")
        return Contact(name=self.row.contact_name, phone=self.row.contact_phone, email=self.row.contact_email)

    @strawberry.field(description="Every state change, oldest first.")
    async def history(self, info: strawberry.Info[Context, None]) -> list[BookingEvent]:
        return [BookingEvent.from_row(e) for e in await info.context.loaders.booking_history.load(self.row.pk)]
