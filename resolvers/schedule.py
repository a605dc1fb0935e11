"""Schedule mutations for center staff (and admins)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from models.booking.requests import MAX_REASON_LENGTH, clean_text
from models.errors import DomainError, InvalidInput
from models.schedule import importer, operations
from models.tables import Principal
from resolvers.auth import require_role
from resolvers.bookings import as_user_error
from schema.ids import decode_id
from schema.schedule_inputs import CancelSessionInput, ImportCalendarInput, ScheduleSessionsInput, UpdateSessionInput
from schema.types.schedule_results import (
    CancelSessionResult,
    CancelSessionSuccess,
    ImportCalendarResult,
    ImportCalendarSuccess,
    ScheduleSessionsResult,
    ScheduleSessionsSuccess,
    UpdateSessionResult,
    UpdateSessionSuccess,
)
from schema.types.session import Session


def _staff(info: strawberry.Info) -> Principal:
    principal = info.context.principal
    if principal is not None and principal.role == "ADMIN":
        return principal
    return require_role(info.context, "CENTER_STAFF")


def _pk(global_id: str, type_name: str, field: str) -> int:
    decoded = decode_id(global_id)
    if decoded is None or decoded[0] != type_name:
        raise InvalidInput(f"{field} is not a {type_name} id", field)
    return decoded[1]


async def _views(info: strawberry.Info, ids: list[Any]) -> list[Session]:
    context = info.context
    views = await context.loaders.session.load_many(ids)
    return sorted((Session.from_view(v, context.now) for v in views if v), key=lambda s: (s.starts_at, s.view.id))


async def schedule_sessions(
    info: strawberry.Info, input: Annotated[ScheduleSessionsInput, strawberry.argument(description="What to schedule.")]
) -> ScheduleSessionsResult:
    staff, context = _staff(info), info.context
    try:
        created = await operations.schedule_sessions(
            context.sessions,
            staff,
            _pk(input.tour_id, "Tour", "tourId"),
            input.starts_at,
            input.capacity,
            input.recurrence,
            input.except_dates or [],
            context.now,
        )
    except DomainError as error:
        return as_user_error(error)  # type: ignore[return-value]
    return ScheduleSessionsSuccess(sessions=await _views(info, [s.id for s in created]))


async def update_session(
    info: strawberry.Info, input: Annotated[UpdateSessionInput, strawberry.argument(description="What to change.")]
) -> UpdateSessionResult:
    staff, context = _staff(info), info.context
    try:
        row = await operations.update_session(
            context.sessions,
            staff,
            _pk(input.session_id, "Session", "sessionId"),
            input.capacity,
            input.starts_at,
            context.now,
        )
    except DomainError as error:
        return as_user_error(error)  # type: ignore[return-value]
    return UpdateSessionSuccess(session=(await _views(info, [row.id]))[0])


async def cancel_session(
    info: strawberry.Info, input: Annotated[CancelSessionInput, strawberry.argument(description="What to cancel.")]
) -> CancelSessionResult:
    staff, context = _staff(info), info.context
    try:
        reason = clean_text(input.reason, "reason", MAX_REASON_LENGTH)
        row, count = await operations.cancel_session(
            context.sessions, staff, _pk(input.session_id, "Session", "sessionId"), reason, context.now
        )
    except DomainError as error:
        return as_user_error(error)  # type: ignore[return-value]
    return CancelSessionSuccess(session=(await _views(info, [row.id]))[0], cancelled_bookings=count)


async def import_calendar(
    info: strawberry.Info, input: Annotated[ImportCalendarInput, strawberry.argument(description="What to import.")]
) -> ImportCalendarResult:
    staff, context = _staff(info), info.context
    try:
        result = await importer.import_calendar(
            context.sessions, staff, _pk(input.tour_id, "Tour", "tourId"), input.ics, input.capacity, context.now
        )
    except DomainError as error:
        return as_user_error(error)  # type: ignore[return-value]
    return ImportCalendarSuccess(
        created=result.created,
        updated=result.updated,
        cancelled=result.cancelled,
        sessions=await _views(info, [s.id for s in result.sessions]),
    )
