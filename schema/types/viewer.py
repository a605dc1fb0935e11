"""The caller, as the API sees it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from models.booking.queries import bookings_of, count_bookings_of
from models.waitlist.entries import count_entries_of, entries_of
from models.webhooks.endpoints import OWNER_ROLES as WEBHOOK_OWNERS
from models.webhooks.endpoints import endpoints_of
from schema.arguments import After, First
from schema.pagination import Connection, connection, page_args
from schema.permissions import require_operator
from schema.types.booking import Booking
from schema.types.enums import BookingStatus, Role, WaitlistStatus
from schema.types.waitlist import WaitlistEntry
from schema.types.webhook import WebhookEndpoint
from schema.urls import absolute_url

if TYPE_CHECKING:
    from resolvers.context import Context


@strawberry.type(description="Who is calling, and what is theirs.")
class Viewer:
    role: Role = strawberry.field(description="The caller's role; ANONYMOUS without a token.")
    name: str | None = strawberry.field(description="Name of the operator, center staff or admin.")

    @strawberry.field(description="The operator's own bookings, newest first. Operators only.")
    async def bookings(
        self,
        info: strawberry.Info[Context, None],
        status: Annotated[BookingStatus | None, strawberry.argument(description="Only bookings in this state.")] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Booking]:
        context = info.context
        operator_id = require_operator(context).pk
        wanted = status.name if status else None
        page = page_args(first, after)
        async with context.sessions() as db:
            rows = await bookings_of(db, operator_id, wanted, context.now, page.offset, page.probe)

        async def count() -> int:
            async with context.sessions() as db:
                return await count_bookings_of(db, operator_id, wanted, context.now)

        return connection([Booking.from_row(r, context.now) for r in rows], page, count)

    @strawberry.field(description="The operator's own waiting-list entries, newest first. Operators only.")
    async def waitlist(
        self,
        info: strawberry.Info[Context, None],
        status: Annotated[WaitlistStatus | None, strawberry.argument(description="Only entries in this state.")] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[WaitlistEntry]:
        context = info.context
        operator_id = require_operator(context).pk
        wanted = status.name if status else None
        page = page_args(first, after)
        async with context.sessions() as db:
            views = await entries_of(db, operator_id, wanted, context.now, page.offset, page.probe)

        async def count() -> int:
            async with context.sessions() as db:
                return await count_entries_of(db, operator_id, wanted, context.now)

        return connection([WaitlistEntry.from_view(v) for v in views], page, count)

    @strawberry.field(description="Your webhook endpoints, oldest first. Operators and center staff; empty for others.")
    async def webhook_endpoints(self, info: strawberry.Info[Context, None]) -> list[WebhookEndpoint]:
        principal = info.context.principal
        if principal is None or principal.role not in WEBHOOK_OWNERS:
            return []
        async with info.context.sessions() as db:
            rows = await endpoints_of(db, principal.pk)
        return [WebhookEndpoint.from_row(row) for row in rows]

    @strawberry.field(
        description="Secret URL of an iCalendar feed of the operator's bookings (its own token, not the API token); "
        "null for other roles."
    )
    def calendar_url(self, info: strawberry.Info[Context, None]) -> str | None:
        principal = info.context.principal
        if principal is None or principal.role != "OPERATOR" or not principal.feed_token:
            return None
        return absolute_url(info.context.base_url, f"/calendar/operators/{principal.feed_token}.ics")
