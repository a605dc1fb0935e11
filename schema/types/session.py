"""Sessions: one run of a tour."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from models.queries.sessions import SessionView
from schema.ids import encode_id
from schema.types.enums import Availability, SessionStatus
from schema.types.node import Node

if TYPE_CHECKING:
    from resolvers.context import Context
    from schema.types.tour import Tour


@strawberry.type(description="One run of a tour, with live seat availability.")
class Session(Node):
    view: strawberry.Private[SessionView]
    starts_at: datetime = strawberry.field(description="Start, in +07:00.")
    ends_at: datetime = strawberry.field(description="End, in +07:00.")
    capacity: int = strawberry.field(description="Seats in total.")
    seats_available: int = strawberry.field(description="Seats left now; expired holds no longer count.")
    status: SessionStatus = strawberry.field(description="Scheduled or cancelled.")
    availability: Availability = strawberry.field(description="What can still be booked.")
    booking_closes_at: datetime = strawberry.field(description="Last moment to book (the tour's cut-off).")
    waitlist_length: int = strawberry.field(
        description="Groups waiting for seats on the session's waiting list; 0 once booking has closed."
    )

    @classmethod
    def from_view(cls, view: SessionView, now: datetime) -> Session:
        return cls(
            view=view,
            id=strawberry.ID(encode_id("Session", view.id)),
            starts_at=view.starts_at,
            ends_at=view.ends_at,
            capacity=view.capacity,
            seats_available=view.seats_available,
            status=SessionStatus(view.status),
            availability=Availability(view.availability(now)),
            booking_closes_at=view.booking_closes_at,
            waitlist_length=view.waiting(now),
        )

    @strawberry.field(description="The tour this session belongs to.")
    async def tour(self, info: strawberry.Info[Context, None]) -> Annotated[Tour, strawberry.lazy("schema.types.tour")]:
        from schema.types.tour import Tour

        return Tour.from_row(await info.context.loaders.tour.load(self.view.tour_id))
