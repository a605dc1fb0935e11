"""Inputs of the schedule mutations (center staff)."""

from __future__ import annotations

from datetime import date, datetime

import strawberry


@strawberry.input(description="One session, or a recurring series of sessions, of a tour.")
class ScheduleSessionsInput:
    tour_id: strawberry.ID = strawberry.field(description="Global id of the tour.")
    starts_at: datetime = strawberry.field(description="Start of the (first) session, with an offset.")
    capacity: int = strawberry.field(description="Seats per session, 1-10,000.")
    recurrence: str | None = strawberry.field(
        default=None,
        description="An RFC 5545 RRULE expanded in Asia/Ho_Chi_Minh time, e.g. FREQ=WEEKLY;BYDAY=SA;COUNT=8. "
        "FREQ DAILY, WEEKLY or MONTHLY with INTERVAL, BYDAY, BYMONTHDAY and COUNT or UNTIL; "
        "at most 366 sessions and two years ahead.",
    )
    except_dates: list[date] | None = strawberry.field(default=None, description="Local dates to leave out.")


@strawberry.input(description="Changes to one session; the end moves with the start.")
class UpdateSessionInput:
    session_id: strawberry.ID = strawberry.field(description="Global id of the session.")
    capacity: int | None = strawberry.field(default=None, description="New capacity, not below the seats taken.")
    starts_at: datetime | None = strawberry.field(default=None, description="New start; bookings follow.")


@strawberry.input(description="A session to cancel, with its bookings.")
class CancelSessionInput:
    session_id: strawberry.ID = strawberry.field(description="Global id of the session.")
    reason: str | None = strawberry.field(
        default=None, description="Why, shown to the operators; up to 500 characters."
    )


@strawberry.input(description="An .ics export to apply to a tour's sessions.")
class ImportCalendarInput:
    tour_id: strawberry.ID = strawberry.field(description="Global id of the tour.")
    ics: str = strawberry.field(
        description="The iCalendar file's text (Google, Outlook or Apple export), at most 1 MB."
    )
    capacity: int = strawberry.field(description="Seats of each new session.")
