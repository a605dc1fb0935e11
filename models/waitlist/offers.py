"""Freed seats go to the waiting list first, in the transaction that frees them.

Whenever seats come free (a cancellation, a lapsed hold, a larger capacity) the oldest WAITING
entry whose seats fit the free seats is offered them as a HELD booking for its `offer_minutes`,
then the next oldest that fits, until none fits. An entry that does not fit keeps its place.
As this runs before the freeing transaction commits, under the session's lock, no racing
booking can take seats that a waiting entry fits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.booking import seats
from models.booking.counter import seats_left
from models.booking.history import record
from models.booking.pricing import total_or_reason
from models.booking.reference import new_reference
from models.booking.requests import TicketLine
from models.tables import Booking, Tour, TourSession, WaitlistEntry
from models.tables.core import core_table
from models.waitlist.history import move

S = core_table(TourSession).c


async def release_and_offer(db: AsyncSession, session_id: int, now: datetime) -> int:
    """Expire the session's lapsed holds (the caller holds its lock), then offer the free seats;
    how many holds lapsed."""
    released = await seats.release_lapsed_holds(db, session_id, now)
    await offer_free_seats(db, session_id, now)
    return released


async def offer_free_seats(db: AsyncSession, session_id: int, now: datetime) -> int:
    """Offer the session's free seats to its waiting entries, oldest first (the caller holds the
    session's lock and has released its lapsed holds); how many entries were offered seats."""
    state = (
        await db.execute(
            select(S.tour_id, S.capacity, S.seats_taken, S.status, S.booking_closes_at, S.waitlist_length).where(
                S.id == session_id
            )
        )
    ).one()
    free = state.capacity - state.seats_taken
    if state.waitlist_length == 0 or free <= 0 or state.status != "SCHEDULED" or now >= state.booking_closes_at:
        return 0
    tour = await db.get(Tour, state.tour_id)
    assert tour is not None
    if tour.archived:
        return 0
    waiting = (
        await db.execute(
            select(WaitlistEntry)
            .where(col(WaitlistEntry.session_id) == session_id, col(WaitlistEntry.status) == "WAITING")
            .order_by(col(WaitlistEntry.id))
        )
    ).scalars()
    offered = 0
    for entry in list(waiting):
        if entry.seats > free:
            continue
        total = await total_or_reason(db, tour, tuple(TicketLine(t["category"], t["quantity"]) for t in entry.tickets))
        if isinstance(total, str):  # the tour no longer sells these tickets (or not so many)
            await move(db, entry, "CLOSED", now, free=free, event="WAITLIST_CLOSED", reason=total[:200])
            continue
        await _offer(db, entry, total, now)
        free -= entry.seats
        await move(db, entry, "OFFERED", now, free=free, event="WAITLIST_OFFERED", reason="seats came free")
        offered += 1
        if free == 0:
            break
    return offered


async def _offer(db: AsyncSession, entry: WaitlistEntry, total: int, now: datetime) -> None:
    if not await seats.take(db, entry.session_id, entry.seats):
        raise RuntimeError(f"seats offered to waiting entry {entry.pk} do not fit session {entry.session_id}")
    booking = Booking(
        reference=new_reference(),
        principal_id=entry.principal_id,
        session_id=entry.session_id,
        status="HELD",
        seats=entry.seats,
        tickets=entry.tickets,
        total_vnd=total,
        contact_name=entry.contact_name,
        contact_phone=entry.contact_phone,
        contact_email=entry.contact_email,
        created_at=now,
        updated_at=now,
        hold_expires_at=now + timedelta(minutes=entry.offer_minutes),
    )
    await record(db, booking, "HELD", now, actor=None, reason="offered from the waiting list")
    entry.offer_booking_id = booking.pk


async def close_waitlist(
    db: AsyncSession, session_id: int, now: datetime, reason: str, statuses: tuple[str, ...]
) -> int:
    """Mark the session's entries in `statuses` CLOSED (the caller holds its lock); how many."""
    found = list(
        (
            await db.execute(
                select(WaitlistEntry)
                .where(col(WaitlistEntry.session_id) == session_id, col(WaitlistEntry.status).in_(statuses))
                .order_by(col(WaitlistEntry.id))
            )
        ).scalars()
    )
    if not found:
        return 0
    free = await seats_left(db, session_id)
    for entry in found:
        await move(db, entry, "CLOSED", now, free=free, event="WAITLIST_CLOSED", reason=reason)
    return len(found)
