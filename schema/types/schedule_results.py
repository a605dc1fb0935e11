"""Results of the schedule mutations."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.types.session import Session
from schema.types.user_errors import (
    AlreadyCancelledError,
    CapacityBelowBookedError,
    ForbiddenError,
    InvalidCalendarError,
    InvalidInputError,
    NotFoundError,
    SessionClosedError,
)


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


ScheduleSessionsResult = Annotated[
    ScheduleSessionsSuccess | InvalidInputError | NotFoundError | ForbiddenError,
    strawberry.union("ScheduleSessionsResult", description="The new sessions, or why none were created."),
]
UpdateSessionResult = Annotated[
    UpdateSessionSuccess
    | InvalidInputError
    | NotFoundError
    | ForbiddenError
    | CapacityBelowBookedError
    | SessionClosedError,
    strawberry.union("UpdateSessionResult", description="The updated session, or why it was not changed."),
]
CancelSessionResult = Annotated[
    CancelSessionSuccess | NotFoundError | ForbiddenError | AlreadyCancelledError | InvalidInputError,
    strawberry.union("CancelSessionResult", description="The cancelled session, or why it was not cancelled."),
]
ImportCalendarResult = Annotated[
    ImportCalendarSuccess | InvalidCalendarError | InvalidInputError | NotFoundError | ForbiddenError,
    strawberry.union("ImportCalendarResult", description="What the import changed, or why nothing was."),
]
