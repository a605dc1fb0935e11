"""Schedule mutations for center staff (and admins)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

import strawberry

from models.booking.requests import MAX_REASON_LENGTH, clean_text
from models.schedule import importer, operations
from resolvers.context import Info
from resolvers.mutation import mutation
from schema.ids import decode_id_of
from schema.permissions import require_center_staff
from schema.schedule_inputs import CancelSessionInput, ImportCalendarInput, ScheduleSessionsInput, UpdateSessionInput
from schema.types.schedule_results import (
    CancelSessionSuccess,
    ImportCalendarSuccess,
    ScheduleSessionsSuccess,
    UpdateSessionSuccess,
)
from schema.types.session import Session


async def _sessions(info: Info, ids: Iterable[int]) -> list[Session]:
    """The sessions as readers now see them, soonest first."""
    context = info.context
    views = await context.loaders.session.load_many(list(ids))
    return sorted((Session.from_view(v, context.now) for v in views), key=lambda s: (s.starts_at, s.view.id))


@mutation
async def schedule_sessions(
    info: Info, input: Annotated[ScheduleSessionsInput, strawberry.argument(description="What to schedule.")]
) -> ScheduleSessionsSuccess:
    context = info.context
    created = await operations.schedule_sessions(
        context.sessions,
        require_center_staff(context),
        decode_id_of(input.tour_id, "Tour", "tourId"),
        input.starts_at,
        input.capacity,
        input.recurrence,
        input.except_dates or [],
        context.now,
    )
    return ScheduleSessionsSuccess(sessions=await _sessions(info, (s.pk for s in created)))


@mutation
async def update_session(
    info: Info, input: Annotated[UpdateSessionInput, strawberry.argument(description="What to change.")]
) -> UpdateSessionSuccess:
    context = info.context
    row = await operations.update_session(
        context.sessions,
        require_center_staff(context),
        decode_id_of(input.session_id, "Session", "sessionId"),
        input.capacity,
        input.starts_at,
        context.now,
    )
    return UpdateSessionSuccess(session=(await _sessions(info, [row.pk]))[0])


@mutation
async def cancel_session(
    info: Info, input: Annotated[CancelSessionInput, strawberry.argument(description="What to cancel.")]
) -> CancelSessionSuccess:
    context = info.context
    staff = require_center_staff(context)
    reason = clean_text(input.reason, "reason", MAX_REASON_LENGTH)
    session_id = decode_id_of(input.session_id, "Session", "sessionId")
    row, count = await operations.cancel_session(context.sessions, staff, session_id, reason, context.now)
    return CancelSessionSuccess(session=(await _sessions(info, [row.pk]))[0], cancelled_bookings=count)


@mutation
async def import_calendar(
    info: Info, input: Annotated[ImportCalendarInput, strawberry.argument(description="What to import.")]
) -> ImportCalendarSuccess:
    context = info.context
    staff = require_center_staff(context)
    tour_id = decode_id_of(input.tour_id, "Tour", "tourId")
    result = await importer.import_calendar(context.sessions, staff, tour_id, input.ics, input.capacity, context.now)
    return ImportCalendarSuccess(
        created=result.created,
        updated=result.updated,
        cancelled=result.cancelled,
        sessions=await _sessions(info, (s.pk for s in result.sessions)),
    )
