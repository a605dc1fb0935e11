"""Waiting-list entries, visible only to the operator that made them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import strawberry

from models.booking.queries import owned_booking_by_id
from models.waitlist.entries import EntryView
from schema.ids import encode_id
from schema.types.booking import Booking, TicketCount
from schema.types.enums import WaitlistStatus
from schema.types.node import Node
from schema.types.session import Session

if TYPE_CHECKING:
    from resolvers.context import Context


@strawberry.type(description="A group waiting for seats of a sold-out session; offered freed seats oldest first.")
class WaitlistEntry(Node):
    view: strawberry.Private[EntryView]
    seats: int = strawberry.field(description="Seats the group needs, all together.")
    tickets: list[TicketCount] = strawberry.field(description="Seats per ticket category.")
    status: WaitlistStatus = strawberry.field(description="State now; a lapsed offer reads EXPIRED.")
    position: int | None = strawberry.field(
        description="1-based place among the session's WAITING entries; null unless WAITING."
    )
    offer_minutes: int = strawberry.field(description="How long an offer to this entry is held.")
    created_at: datetime = strawberry.field(description="When the entry joined the list.")

    @classmethod
    def from_view(cls, view: EntryView) -> WaitlistEntry:
        row = view.row
        return cls(
            view=view,
            id=strawberry.ID(encode_id("WaitlistEntry", row.pk)),
            seats=row.seats,
            tickets=[TicketCount(category=t["category"], quantity=t["quantity"]) for t in row.tickets],
            status=WaitlistStatus(view.status),
            position=view.position,
            offer_minutes=row.offer_minutes,
            created_at=row.created_at,
        )

    @strawberry.field(description="The session waited for.")
    async def session(self, info: strawberry.Info[Context, None]) -> Session:
        view = await info.context.loaders.session.load(self.view.row.session_id)
        return Session.from_view(view, info.context.now)

    @strawberry.field(description="The HELD booking made for it when it was OFFERED (confirm it with confirmBooking).")
    async def offer(self, info: strawberry.Info[Context, None]) -> Booking | None:
        booking_id = self.view.row.offer_booking_id
        if booking_id is None:
            return None
        context = info.context
        async with context.sessions() as db:
            row = await owned_booking_by_id(db, self.view.row.principal_id, booking_id)
        return Booking.from_row(row, context.now) if row else None
