"""Subscription fields: each waits on the hub of committed changes (models/live) and, for a
change it follows, reads the object again and yields it. After a RESYNC (the cross-process feed
reconnected, or a subscriber fell far behind) each compares change counters with those it knew
and yields what moved meanwhile.

A WebSocket connection has one context for all its operations, so before each event the
subscription gives it the clock's new reading and new DataLoaders: fields of the pushed object
are read as of that moment, never from an earlier event's cache.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import timedelta
from typing import Annotated

import strawberry

from models.auth import connection_token, principal_for_token
from models.booking.queries import owned_booking_by_id
from models.live.hub import ChangeHub, Resync
from models.live.versions import booking_versions_since, session_versions
from models.queries import places
from models.tables import Tour as TourRow
from resolvers.context import Context, Info
from resolvers.loaders import Loaders, MissingRow
from schema.errors import ApiError
from schema.ids import decode_id
from schema.permissions import require_operator
from schema.types.booking import Booking
from schema.types.session import Session

# Clocks of server processes differ a little: a RESYNC looks this far further back.
CLOCK_MARGIN = timedelta(seconds=30)


def _hub(context: Context) -> ChangeHub:
    if context.changes is None:
        raise ApiError("Subscriptions are served over WebSocket at /graphql (graphql-transport-ws).", "BAD_REQUEST")
    return context.changes


def _refresh(context: Context) -> None:
    if context.clock is not None:
        context.now = context.clock()
    context.loaders = Loaders(context.sessions, context.now)


async def _session(context: Context, pk: int) -> Session | None:
    _refresh(context)
    try:
        return Session.from_view(await context.loaders.session.load(pk), context.now)
    except MissingRow:
        return None


async def session_changed(
    info: Info, session_id: Annotated[strawberry.ID, strawberry.argument(description="The session's global id.")]
) -> AsyncGenerator[Session, None]:
    context = info.context
    decoded = decode_id(session_id)
    with _hub(context).listen() as listener:  # listening before the first read: no change falls in between
        first = None if decoded is None or decoded[0] != "Session" else await _session(context, decoded[1])
        if decoded is None or first is None:
            raise ApiError("No session with this id.", "NOT_FOUND")
        pk, known = decoded[1], first.view.version
        async for batch in listener:
            if isinstance(batch, Resync) or any(change.session_id == pk for change in batch):
                session = await _session(context, pk)
                if session is not None and (not isinstance(batch, Resync) or session.view.version != known):
                    known = session.view.version
                    yield session


async def tour_sessions_changed(
    info: Info, tour_slug: Annotated[str, strawberry.argument(description="The tour's slug.")]
) -> AsyncGenerator[Session, None]:
    context = info.context
    with _hub(context).listen() as listener:
        async with context.sessions() as db:
            tour = await places.by_slug(db, TourRow, tour_slug)
            known = await session_versions(db, tour.pk) if tour else {}
        if tour is None:
            raise ApiError("No tour with this slug.", "NOT_FOUND")
        async for batch in listener:
            if isinstance(batch, Resync):
                async with context.sessions() as db:
                    now_known = await session_versions(db, tour.pk)
                changed = [pk for pk, version in sorted(now_known.items()) if known.get(pk) != version]
            else:
                changed = list(dict.fromkeys(c.session_id for c in batch if c.tour_id == tour.pk))
            for pk in changed:
                session = await _session(context, pk)
                if session is not None:
                    known[pk] = session.view.version
                    yield session


async def _still_valid(context: Context) -> None:
    """The connection's token is checked again before each push: a revoked token ends the stream."""
    token = connection_token(context.connection_params)
    async with context.sessions() as db:
        if token is None or await principal_for_token(db, token) is None:
            raise ApiError("The bearer token is unknown or revoked.", "UNAUTHENTICATED")


async def booking_changed(info: Info) -> AsyncGenerator[Booking, None]:
    context = info.context
    operator = require_operator(context)
    with _hub(context).listen() as listener:
        since = context.now
        async for batch in listener:
            if isinstance(batch, Resync):
                async with context.sessions() as db:
                    changed = sorted(await booking_versions_since(db, operator.pk, since - CLOCK_MARGIN))
            else:
                mine = (c.booking_id for c in batch if c.booking_id is not None and c.principal_id == operator.pk)
                changed = list(dict.fromkeys(mine))
            if changed:
                await _still_valid(context)
            for pk in changed:
                _refresh(context)
                since = max(since, context.now)
                async with context.sessions() as db:
                    row = await owned_booking_by_id(db, operator.pk, pk)
                if row is not None:
                    yield Booking.from_row(row, context.now)
