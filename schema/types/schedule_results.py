"""Results of the schedule mutations."""

from __future__ import annotations

import strawberry

from models.errors import (
    AlreadyCancelled,
    CapacityBelowBooked,
    Forbidden,
    InvalidCalendar,
    InvalidInput,
    NotFound,
    SessionClosed,
)
from schema.types.session import Session
from schema.types.user_errors import result_union


@strawberry.type(description="The sessions created.")
class ScheduleSessionsSuccess:
    sessions: list[Session] = strawberry.field(description="Every session created, soonest first.")


@strawberry.type(description="The session after the change.")
class UpdateSessionSuccess:
    session: Session = strawberry.field(description="The updated session.")


@strawberry.type(description="The session is cancelled, with its bookings.")
class CancelSessionSuccess:
    session: Session = strawberry.field(description="The cancelled session.")
    cancelled_bookings: int = strawberry.field(description="Held and confirmed bookings cancelled with it.")


@strawberry.type(description="What the import changed.")
class ImportCalendarSuccess:
    created: int = strawberry.field(description="Sessions created.")
    updated: int = strawberry.field(description="Sessions moved or restored.")
    cancelled: int = strawberry.field(description="Sessions cancelled (cancelled or removed in the file).")
    sessions: list[Session] = strawberry.field(description="Every session the file describes, soonest first.")


ScheduleSessionsResult = result_union(
    "ScheduleSessionsResult",
    "The new sessions, or why none were created.",
    ScheduleSessionsSuccess,
    [InvalidInput, NotFound, Forbidden],
)
UpdateSessionResult = result_union(
    "UpdateSessionResult",
    "The updated session, or why it was not changed.",
    UpdateSessionSuccess,
    [InvalidInput, NotFound, Forbidden, CapacityBelowBooked, SessionClosed],
)
CancelSessionResult = result_union(
    "CancelSessionResult",
    "The cancelled session, or why it was not cancelled.",
    CancelSessionSuccess,
    [NotFound, Forbidden, AlreadyCancelled, InvalidInput],
)
ImportCalendarResult = result_union(
    "ImportCalendarResult",
    "What the import changed, or why nothing was.",
    ImportCalendarSuccess,
    [InvalidCalendar, InvalidInput, NotFound, Forbidden],
)
