"""scheduleSessions, updateSession and cancelSession. Each is one write transaction: all or
nothing. Writers lock the tour before its sessions (PostgreSQL), and booking writers never lock
a tour, so the two cannot deadlock."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.booking import seats
from models.booking.history import record
from models.booking.locking import begin_write, lock_session
from models.catalog_version import commit_write
from models.db import SessionFactory
from models.errors import AlreadyCancelled, CapacityBelowBooked, InvalidInput, NotFound, SessionClosed
from models.live.changes import note_session
from models.schedule.permissions import check_manages
from models.schedule.recurrence import expand
from models.tables import Booking, Principal, Tour, TourSession
from models.timeutil import to_local
from models.waitlist.offers import close_waitlist, offer_free_seats

Sessions = SessionFactory
MAX_CAPACITY = 10_000


def check_capacity(capacity: int) -> None:
    if not 1 <= capacity <= MAX_CAPACITY:
        raise InvalidInput(f"capacity must be between 1 and {MAX_CAPACITY}", "capacity")


async def lock_tour(db: AsyncSession, tour_id: int) -> Tour:
    query = select(Tour).where(col(Tour.id) == tour_id)
    if db.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    tour = (await db.execute(query)).scalar_one_or_none()
    if tour is None:
        raise NotFound("no tour with this id", "tourId")
    return tour


def check_not_archived(tour: Tour) -> None:
    if tour.archived:
        raise InvalidInput("this tour is archived: it takes no new sessions", "tourId")


def new_session(
    tour: Tour,
    starts_at: datetime,
    capacity: int,
    now: datetime,
    *,
    ends_at: datetime | None = None,
    import_uid: str | None = None,
    recurrence_id: str | None = None,
) -> TourSession:
    return TourSession(
        tour_id=tour.pk,
        starts_at=starts_at,
        ends_at=ends_at or starts_at + timedelta(minutes=tour.duration_minutes),
        booking_closes_at=starts_at - timedelta(minutes=tour.booking_cutoff_minutes),
        capacity=capacity,
        created_at=now,
        updated_at=now,
        import_uid=import_uid,
        recurrence_id=recurrence_id,
    )


async def scheduled_at(db: AsyncSession, tour_id: int, starts: list[datetime]) -> list[datetime]:
    """Which of `starts` already have a scheduled session of the tour."""
    query = select(col(TourSession.starts_at)).where(
        col(TourSession.tour_id) == tour_id,
        col(TourSession.status) == "SCHEDULED",
        col(TourSession.starts_at).in_(starts),
    )
    return sorted((await db.execute(query)).scalars())


async def schedule_sessions(
    sessions: Sessions,
    staff: Principal,
    tour_id: int,
    starts_at: datetime,
    capacity: int,
    recurrence: str | None,
    except_dates: list[date],
    now: datetime,
) -> list[TourSession]:
    check_capacity(capacity)
    async with sessions() as db:
        await begin_write(db)
        tour = await lock_tour(db, tour_id)
        check_manages(staff, tour)
        check_not_archived(tour)
        starts = expand(starts_at, recurrence, except_dates, now)
        clashes = await scheduled_at(db, tour_id, starts)
        if clashes:
            raise InvalidInput(
                f"a session of this tour already starts at {to_local(clashes[0]).isoformat()}", "startsAt"
            )
        created = [new_session(tour, start, capacity, now) for start in starts]
        db.add_all(created)
        await db.flush()
        for session in created:
            note_session(db, session.pk, now)
        await commit_write(db)
        return created


async def _managed_session(db: AsyncSession, staff: Principal, session_id: int) -> tuple[TourSession, Tour]:
    found = await db.get(TourSession, session_id)
    if found is None:
        raise NotFound("no session with this id", "sessionId")
    tour = await lock_tour(db, found.tour_id)
    check_manages(staff, tour, "sessionId")
    session = await lock_session(db, session_id)
    assert session is not None
    return session, tour


async def update_session(
    sessions: Sessions,
    staff: Principal,
    session_id: int,
    capacity: int | None,
    starts_at: datetime | None,
    now: datetime,
) -> TourSession:
    if capacity is None and starts_at is None:
        raise InvalidInput("give capacity, startsAt or both", None)
    if capacity is not None:
        check_capacity(capacity)
    async with sessions() as db:
        await begin_write(db)
        session, tour = await _managed_session(db, staff, session_id)
        if session.status == "CANCELLED":
            raise SessionClosed("this session is cancelled", "sessionId")
        if capacity is not None:
            await seats.release_lapsed_holds(db, session.pk, now)
            await db.refresh(session)
            if capacity < session.seats_taken:
                raise CapacityBelowBooked(
                    f"{session.seats_taken} seats are booked or held; capacity cannot go below that", "capacity"
                )
            session.capacity = capacity
            await db.flush()
            await offer_free_seats(db, session.pk, now)  # a larger capacity fills from the waiting list first
        if starts_at is not None and starts_at != session.starts_at:
            if starts_at <= now:
                raise InvalidInput("startsAt must be in the future", "startsAt")
            if await scheduled_at(db, tour.pk, [starts_at]):
                raise InvalidInput(
                    f"a session of this tour already starts at {to_local(starts_at).isoformat()}", "startsAt"
                )
            length = session.ends_at - session.starts_at
            session.starts_at, session.ends_at = starts_at, starts_at + length
            session.booking_closes_at = starts_at - timedelta(minutes=tour.booking_cutoff_minutes)
        session.sequence += 1
        session.updated_at = now
        note_session(db, session.pk, now, "SESSION_UPDATED")
        await commit_write(db, session.pk)
        return session


async def cancel_session(
    sessions: Sessions, staff: Principal, session_id: int, reason: str | None, now: datetime
) -> tuple[TourSession, int]:
    """Cancel the session and, in the same transaction, its live bookings. Returns how many."""
    async with sessions() as db:
        await begin_write(db)
        session, _tour = await _managed_session(db, staff, session_id)
        if session.status == "CANCELLED":
            raise AlreadyCancelled("this session is already cancelled", "sessionId")
        cancelled = await cancel_with_bookings(db, session, staff, reason or "session cancelled by the center", now)
        await commit_write(db, session.pk)
        return session, cancelled


async def cancel_with_bookings(
    db: AsyncSession, session: TourSession, actor: Principal, why: str, now: datetime
) -> int:
    """Mark `session` (locked by the caller) CANCELLED and cancel its live bookings; how many.
    Its waiting list closes first, so offers end CLOSED rather than LEFT."""
    await close_waitlist(db, session.pk, now, why[:200], ("WAITING", "OFFERED"))
    await seats.release_lapsed_holds(db, session.pk, now)
    live = list(
        (
            await db.execute(
                select(Booking).where(
                    col(Booking.session_id) == session.id,
                    col(Booking.status).in_(("HELD", "CONFIRMED")),
                )
            )
        ).scalars()
    )
    for booking in live:
        await seats.give_back(db, session.pk, booking.seats)
        await record(db, booking, "CANCELLED", now, actor, why)
    await db.refresh(session)
    session.status, session.cancel_reason = "CANCELLED", why
    session.sequence += 1
    session.updated_at = now
    note_session(db, session.pk, now, "SESSION_CANCELLED")
    return len(live)
