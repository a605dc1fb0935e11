"""Every state change of a booking, recorded in the transaction that makes it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.live.changes import note_booking
from models.tables import Booking, BookingEvent, Principal
from models.waitlist.transitions import follow_offer

SYSTEM_ACTOR = "Craftway"


async def record(
    db: AsyncSession,
    booking: Booking,
    to_status: str,
    now: datetime,
    actor: Principal | None,
    reason: str | None = None,
) -> None:
    """Move `booking` to `to_status` and write the event (from None when it is new)."""
    from_status = None if booking.id is None else booking.status
    booking.status = to_status
    booking.updated_at = now
    booking.sequence = booking.sequence + 1 if booking.id is not None else 0
    if to_status == "CONFIRMED":
        booking.confirmed_at = now
    if to_status == "CANCELLED":
        booking.cancelled_at = now
        booking.cancel_reason = reason
    db.add(booking)
    await db.flush()
    db.add(
        BookingEvent(
            booking_id=booking.pk,
            at=now,
            actor_id=actor.id if actor else None,
            actor_name=actor.name if actor else SYSTEM_ACTOR,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
        )
    )
    note_booking(db, booking.pk, booking.session_id, to_status, now)
    if from_status == "HELD":  # offers from a waiting list are holds
        await follow_offer(db, booking, to_status, now)


async def history_of(db: AsyncSession, booking_ids: list[int]) -> dict[int, list[BookingEvent]]:
    query = select(BookingEvent).where(col(BookingEvent.booking_id).in_(booking_ids)).order_by(col(BookingEvent.id))
    grouped: dict[int, list[BookingEvent]] = {}
    for event in (await db.execute(query)).scalars():
        grouped.setdefault(event.booking_id, []).append(event)
    return grouped
