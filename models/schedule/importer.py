"""importCalendar: apply an .ics file to a tour's sessions, matched by UID and RECURRENCE-ID.

Importing the same file twice changes nothing; a changed file changes only what changed:
new occurrences are created, moved ones updated, cancelled or vanished ones cancelled (with
their bookings, as cancelSession does).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.booking.locking import begin_write
from models.catalog_version import commit_write
from models.errors import InvalidCalendar
from models.live.changes import note_session
from models.schedule.ics_reader import Occurrence, read_occurrences
from models.schedule.operations import (
    Sessions,
    cancel_with_bookings,
    check_capacity,
    check_not_archived,
    lock_tour,
    new_session,
)
from models.schedule.permissions import check_manages
from models.tables import Principal, Tour, TourSession
from models.timeutil import to_local


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    cancelled: int = 0
    sessions: list[TourSession] = field(default_factory=list)


def _check_no_double_booking(
    scheduled: dict[int, datetime], planned: list[tuple[Occurrence, TourSession | None]]
) -> None:
    """Two scheduled sessions of one tour may not start together (checked before any write)."""
    moving = {s.id for occ, s in planned if s is not None}
    taken = {start: sid for sid, start in scheduled.items() if sid not in moving}
    for occ, existing in planned:
        if occ.cancelled:
            continue
        if occ.starts_at in taken and taken[occ.starts_at] != (existing.id if existing else None):
            raise InvalidCalendar(
                f"event {occ.uid!r} would start at {to_local(occ.starts_at).isoformat()}, "
                "when another session of this tour already starts",
                "ics",
            )
        taken[occ.starts_at] = existing.pk if existing else -len(taken) - 1


async def import_calendar(
    sessions: Sessions, staff: Principal, tour_id: int, ics: str, capacity: int, now: datetime
) -> ImportResult:
    check_capacity(capacity)
    occurrences = read_occurrences(ics, now)
    async with sessions() as db:
        await begin_write(db)
        tour = await lock_tour(db, tour_id)
        check_manages(staff, tour)
        check_not_archived(tour)
        result = await _apply(db, tour, staff, occurrences, capacity, now)
        await commit_write(db)
        return result


async def _apply(
    db: AsyncSession, tour: Tour, staff: Principal, occurrences: list[Occurrence], capacity: int, now: datetime
) -> ImportResult:
    uids = {o.uid for o in occurrences}
    rows = list((await db.execute(select(TourSession).where(col(TourSession.tour_id) == tour.id))).scalars())
    imported = {(s.import_uid, s.recurrence_id or ""): s for s in rows if s.import_uid in uids}
    scheduled = {s.pk: s.starts_at for s in rows if s.status == "SCHEDULED" and s.starts_at > now}
    planned = [(o, imported.get(o.key)) for o in occurrences]
    _check_no_double_booking(scheduled, planned)
    result = ImportResult()
    fresh: list[TourSession] = []
    rescheduled: list[TourSession] = []
    for occ, existing in planned:
        if occ.cancelled:
            if existing is not None and existing.status == "SCHEDULED":
                await cancel_with_bookings(db, existing, staff, "cancelled in the center's calendar", now)
                result.cancelled += 1
            if existing is not None:
                result.sessions.append(existing)
            continue
        if existing is None:
            created = new_session(
                tour,
                occ.starts_at,
                capacity,
                now,
                ends_at=occ.ends_at,
                import_uid=occ.uid,
                recurrence_id=occ.recurrence_id,
            )
            db.add(created)
            result.created += 1
            result.sessions.append(created)
            fresh.append(created)
            continue
        if existing.status == "CANCELLED" or existing.starts_at != occ.starts_at or existing.ends_at != occ.ends_at:
            existing.status, existing.cancel_reason = "SCHEDULED", None
            existing.starts_at, existing.ends_at = occ.starts_at, occ.ends_at
            existing.booking_closes_at = occ.starts_at - timedelta(minutes=tour.booking_cutoff_minutes)
            existing.sequence += 1
            existing.updated_at = now
            result.updated += 1
            rescheduled.append(existing)
        result.sessions.append(existing)
    seen = {o.key for o in occurrences}
    for key, session in imported.items():
        if key not in seen and session.status == "SCHEDULED" and session.starts_at > now:
            await cancel_with_bookings(db, session, staff, "removed from the center's calendar", now)
            result.cancelled += 1
    await db.flush()
    for session in fresh:
        note_session(db, session.pk, now)
    for session in rescheduled:
        note_session(db, session.pk, now, "SESSION_UPDATED")
    return result
