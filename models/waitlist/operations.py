"""Joining and leaving a waiting list. Each runs in one write transaction under the session's
lock; an expected failure raises a DomainError and leaves the database as it was."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.booking import seats
from models.booking.bookable import lock_bookable
from models.booking.counter import seats_left
from models.booking.history import record
from models.booking.locking import begin_write, lock_idempotency_key, lock_session
from models.booking.pricing import total_vnd
from models.booking.requests import SeatRequest
from models.catalog_version import commit_write
from models.db import SessionFactory
from models.errors import IdempotencyConflict, NotFound, SeatsAvailable
from models.tables import Booking, Principal, WaitlistEntry
from models.waitlist.history import move
from models.waitlist.offers import offer_free_seats, release_and_offer

# A unique-key race (two requests with one idempotency key) is retried this often.
ATTEMPTS = 5


async def join_waitlist(
    sessions: SessionFactory, operator: Principal, request: SeatRequest, now: datetime
) -> WaitlistEntry:
    """joinWaitlist, idempotent per operator and key (its own key space, apart from bookings')."""
    fingerprint = request.fingerprint("joinWaitlist")
    for _ in range(ATTEMPTS):
        try:
            async with sessions() as db:
                await begin_write(db)
                await lock_idempotency_key(db, operator.pk, f"waitlist:{request.idempotency_key}")
                earlier = await _entry_with_key(db, operator.pk, request.idempotency_key)
                if earlier is not None:
                    if earlier.request_hash != fingerprint:
                        raise IdempotencyConflict(
                            "this idempotencyKey was used with a different request", "idempotencyKey"
                        )
                    return earlier
                entry = await _new_entry(db, operator, request, fingerprint, now)
                await commit_write(db, entry.session_id)
                return entry
        except IntegrityError:
            continue  # the same key won meanwhile: look again
    raise RuntimeError("could not store the waiting-list entry after repeated unique-key races")


async def _entry_with_key(db: AsyncSession, principal_id: int, key: str) -> WaitlistEntry | None:
    query = select(WaitlistEntry).where(
        col(WaitlistEntry.principal_id) == principal_id, col(WaitlistEntry.idempotency_key) == key
    )
    return (await db.execute(query)).scalar_one_or_none()


async def _new_entry(
    db: AsyncSession, operator: Principal, request: SeatRequest, fingerprint: str, now: datetime
) -> WaitlistEntry:
    session, tour = await lock_bookable(db, request.session_id, now)
    await total_vnd(db, tour, request.tickets)  # the categories and group size must be bookable
    await release_and_offer(db, session.pk, now)
    left = await seats_left(db, session.pk)
    if left >= request.seats:
        raise SeatsAvailable(f"{left} seats are free in this session: book them instead", left)
    entry = WaitlistEntry(
        principal_id=operator.pk,
        session_id=session.pk,
        status="WAITING",
        seats=request.seats,
        tickets=[{"category": t.category, "quantity": t.quantity} for t in request.tickets],
        contact_name=request.contact.name,
        contact_phone=request.contact.phone,
        contact_email=request.contact.email,
        offer_minutes=request.hold_minutes,
        idempotency_key=request.idempotency_key,
        request_hash=fingerprint,
        created_at=now,
        updated_at=now,
    )
    await move(db, entry, "WAITING", now, free=left, reason="joined")
    return entry


async def leave_waitlist(sessions: SessionFactory, operator: Principal, entry_id: int, now: datetime) -> WaitlistEntry:
    """leaveWaitlist: a WAITING entry is LEFT; an OFFERED one gives its held seats back (they go
    onward). An entry already out of the list (booked, expired, left or closed) is returned as it is."""
    async with sessions() as db:
        await begin_write(db)
        entry = await owned_entry(db, operator.pk, entry_id)
        if entry is None:
            raise NotFound("no waiting-list entry with this id", "entryId")
        await lock_session(db, entry.session_id)
        await release_and_offer(db, entry.session_id, now)  # a lapsed offer expires first
        await db.refresh(entry)
        if entry.status == "WAITING":
            await move(db, entry, "LEFT", now, free=await seats_left(db, entry.session_id), reason="left the list")
        elif entry.status == "OFFERED":
            await _decline(db, entry, operator, now)
        else:
            return entry
        await commit_write(db, entry.session_id)
        return entry


async def _decline(db: AsyncSession, entry: WaitlistEntry, operator: Principal, now: datetime) -> None:
    """Give an offer back: its hold is cancelled (its entry follows to LEFT) and the seats go onward."""
    booking = await db.get(Booking, entry.offer_booking_id)
    assert booking is not None and booking.status == "HELD"
    await seats.give_back(db, entry.session_id, booking.seats)
    await record(db, booking, "CANCELLED", now, operator, "offer declined: left the waiting list")
    await offer_free_seats(db, entry.session_id, now)


async def owned_entry(db: AsyncSession, principal_id: int, entry_id: int) -> WaitlistEntry | None:
    query = select(WaitlistEntry).where(
        col(WaitlistEntry.id) == entry_id, col(WaitlistEntry.principal_id) == principal_id
    )
    return (await db.execute(query)).scalar_one_or_none()
