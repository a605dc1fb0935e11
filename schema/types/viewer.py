"""The caller, as the API sees it."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.pagination import Connection
from schema.types.booking import Booking
from schema.types.enums import BookingStatus, Role


@strawberry.type(description="Who is calling, and what is theirs.")
class Viewer:
    role: Role = strawberry.field(description="The caller's role; ANONYMOUS without a token.")
    name: str | None = strawberry.field(description="Name of the operator, center staff or admin.")

    @strawberry.field(description="The operator's own bookings, newest first. Operators only.")
    async def bookings(
        self,
        info: strawberry.Info,
        status: Annotated[BookingStatus | None, strawberry.argument(description="Only bookings in this state.")] = None,
        first: Annotated[int | None, strawberry.argument(description="Page size, 0-100 (default 20).")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor to continue after.")] = None,
    ) -> Connection[Booking]:
        return await info.context.viewer_bookings(status.value if status else None, first, after)

    @strawberry.field(
        description="Secret URL of an iCalendar feed of the operator's bookings (its own token, not the API token); "
        "null for other roles."
    )
    def calendar_url(self, info: strawberry.Info) -> str | None:
        principal = info.context.principal
        if principal is None or principal.role != "OPERATOR" or not principal.feed_token:
            return None
        return info.context.absolute_url(f"/calendar/operators/{principal.feed_token}.ics")
