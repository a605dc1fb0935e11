"""The booking flows. Each runs in one write transaction; an expected failure raises a
DomainError and leaves the database as it was."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models.booking import seats
from models.booking.bookable import lock_bookable
from models.booking.counter import seats_left
from models.booking.history import record
from models.booking.locking import begin_write, lock_idempotency_key, lock_session
from models.booking.pricing import total_vnd
from models.booking.queries import owned_booking
from models.booking.reference import new_reference
from models.booking.requests import MAX_HOLD_MINUTES, Contact, SeatRequest
from models.catalog_version import commit_write
from models.db import SessionFactory
from models.errors import (
    AlreadyCancelled,
    CancellationClosed,
    HoldExpired,
    IdempotencyConflict,
    InvalidInput,
    NotEnoughSeats,
    NotFound,
    SessionClosed,
)
from models.live.changes import note_session
from models.tables import Booking, IdempotencyKey, Principal, Tour, TourSession
from models.timeutil import to_local
from models.waitlist.offers import offer_free_seats, release_and_offer

Sessions = SessionFactory
# A unique-key race (same idempotency key, or a reference collision) is retried this often.
ATTEMPTS = 5


# Writes more rows about a new booking in its own transaction (OCTO keeps its uuid so).
Attach = Callable[[AsyncSession, Booking], Awaitable[None]]


async def reserve(
    sessions: Sessions,
    operator: Principal,
    request: SeatRequest,
    now: datetime,
    *,
    confirm: bool,
    attach: Attach | None = None,
) -> Booking:
    """holdSeats (confirm=False) or bookSeats (confirm=True), idempotent per operator and key."""
    operation = "bookSeats" if confirm else "holdSeats"
    fingerprint = request.fingerprint(operation)
    for _ in range(ATTEMPTS):
        try:
            async with sessions() as db:
                await begin_write(db)
                await lock_idempotency_key(db, operator.pk, request.idempotency_key)
                earlier = await db.get(IdempotencyKey, (operator.id, request.idempotency_key))
                if earlier is not None:
                    if earlier.request_hash != fingerprint:
                        raise IdempotencyConflict(
                            "this idempotencyKey was used with a different request", "idempotencyKey"
                        )
                    replay = await db.get(Booking, earlier.booking_id)
                    assert replay is not None
                    return replay
                booking = await _new_booking(db, operator, request, now, confirm)
                if attach is not None:
                    await attach(db, booking)
                db.add(
                    IdempotencyKey(
                        principal_id=operator.pk,
                        key=request.idempotency_key,
                        operation=operation,
                        request_hash=fingerprint,
                        booking_id=booking.pk,
                        created_at=now,
                    )
                )
                await commit_write(db, booking.session_id)
                return booking
        except IntegrityError:
            continue  # another request won a unique key meanwhile: look again
    raise RuntimeError("could not store the booking after repeated unique-key races")


async def _new_booking(
    db: AsyncSession, operator: Principal, request: SeatRequest, now: datetime, confirm: bool
) -> Booking:
    session, tour = await lock_bookable(db, request.session_id, now)
    total = await total_vnd(db, tour, request.tickets)
    await release_and_offer(db, session.pk, now)
    if not await seats.take(db, session.pk, request.seats):
        left = await seats_left(db, session.pk)
        raise NotEnoughSeats(f"only {left} seats left in this session", left)
    booking = Booking(
        reference=new_reference(),
        principal_id=operator.pk,
        session_id=session.pk,
        status="HELD",
        seats=request.seats,
        tickets=[{"category": t.category, "quantity": t.quantity} for t in request.tickets],
        total_vnd=total,
        contact_name=request.contact.name,
        contact_phone=request.contact.phone,
        contact_email=request.contact.email,
        created_at=now,
        updated_at=now,
        hold_expires_at=None if confirm else now + timedelta(minutes=request.hold_minutes),
    )
    await record(db, booking, "CONFIRMED" if confirm else "HELD", now, operator)
    return booking


async def _owned(db: AsyncSession, operator: Principal, reference: str) -> Booking:
    booking = await owned_booking(db, operator.pk, reference)
    if booking is None:
        raise NotFound("no booking with this reference", "reference")
    return booking


async def _locked_booking(db: AsyncSession, operator: Principal, reference: str) -> tuple[Booking, TourSession]:
    """The operator's booking, re-read after locking its session (the order every writer uses)."""
    booking = await _owned(db, operator, reference)
    session = await lock_session(db, booking.session_id)
    assert session is not None
    await db.refresh(booking)
    return booking, session


async def confirm_booking(
    sessions: Sessions, operator: Principal, reference: str, now: datetime, contact: Contact | None = None
) -> Booking:
    """Confirm a live hold; `contact`, when given, replaces the booking's contact as it confirms."""
    async with sessions() as db:
        await begin_write(db)
        booking, session = await _locked_booking(db, operator, reference)
        if booking.status == "CONFIRMED":
            return booking  # confirming twice is harmless
        if booking.status == "CANCELLED":
            raise AlreadyCancelled("this booking is cancelled", "reference")
        if booking.status == "HELD" and booking.hold_expires_at and booking.hold_expires_at <= now:
            await seats.expire_hold(db, booking, now)
            await offer_free_seats(db, session.pk, now)
            await commit_write(db, session.pk)
        if booking.status == "EXPIRED":
            raise HoldExpired("the hold expired before confirmation; hold the seats again", "reference")
        if session.status == "CANCELLED":
            raise SessionClosed("this session is cancelled", "reference")
        booking.hold_expires_at = None
        if contact is not None:
            booking.contact_name, booking.contact_phone, booking.contact_email = (
                contact.name,
                contact.phone,
                contact.email,
            )
        await record(db, booking, "CONFIRMED", now, operator)
        await commit_write(db, session.pk)
        return booking


async def cancel_booking(
    sessions: Sessions, operator: Principal, reference: str, reason: str | None, now: datetime
) -> Booking:
    async with sessions() as db:
        await begin_write(db)
        booking, session = await _locked_booking(db, operator, reference)
        if booking.status == "CANCELLED":
            raise AlreadyCancelled("this booking is already cancelled", "reference")
        lapsed = booking.status == "HELD" and booking.hold_expires_at and booking.hold_expires_at <= now
        if booking.status == "EXPIRED" or lapsed:
            raise HoldExpired("the hold has expired; its seats are already free", "reference")
        tour = await db.get(Tour, session.tour_id)
        assert tour is not None
        cutoff = session.starts_at - timedelta(minutes=tour.cancellation_cutoff_minutes)
        if booking.status == "CONFIRMED" and now >= cutoff:
            raise CancellationClosed(f"cancellation closed at {to_local(cutoff).isoformat()}", "reference")
        await seats.give_back(db, session.pk, booking.seats)
        await record(db, booking, "CANCELLED", now, operator, reason or "cancelled by the operator")
        await offer_free_seats(db, session.pk, now)
        await commit_write(db, session.pk)
        return booking


async def extend_hold(sessions: Sessions, operator: Principal, reference: str, minutes: int, now: datetime) -> Booking:
    """A live hold now lapses `minutes` from now (1 to MAX_HOLD_MINUTES)."""
    if not 1 <= minutes <= MAX_HOLD_MINUTES:
        raise InvalidInput(f"expirationMinutes must be between 1 and {MAX_HOLD_MINUTES}", "expirationMinutes")
    async with sessions() as db:
        await begin_write(db)
        booking, session = await _locked_booking(db, operator, reference)
        lapsed = booking.status == "HELD" and booking.hold_expires_at is not None and booking.hold_expires_at <= now
        if booking.status == "EXPIRED" or lapsed:
            raise HoldExpired("the hold has expired; hold the seats again", "reference")
        if booking.status != "HELD":
            raise InvalidInput(f"only a hold can be extended; this booking is {booking.status}", "reference")
        booking.hold_expires_at = now + timedelta(minutes=minutes)
        booking.updated_at = now
        booking.sequence += 1
        note_session(db, session.pk, now)
        await commit_write(db, session.pk)
        return booking
