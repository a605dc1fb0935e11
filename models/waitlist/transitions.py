"""An offer's booking decides its entry: confirmed, the entry is BOOKED; lapsed, EXPIRED (the
seats go onward); cancelled by its operator, LEFT. Called by `models.booking.history.record`
for every change of a held booking, so every path that moves a hold keeps its entry in step."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.booking.counter import seats_left
from models.tables import Booking, WaitlistEntry
from models.waitlist.history import move

# The offer's booking moved to ... -> its entry moves to ..., with this webhook event.
FOLLOWS = {
    "CONFIRMED": ("BOOKED", None),
    "EXPIRED": ("EXPIRED", "WAITLIST_OFFER_EXPIRED"),
    "CANCELLED": ("LEFT", None),
}


async def follow_offer(db: AsyncSession, booking: Booking, to_status: str, now: datetime) -> None:
    """If `booking` is a live offer, move its entry after it."""
    if to_status not in FOLLOWS:
        return
    query = select(WaitlistEntry).where(
        col(WaitlistEntry.offer_booking_id) == booking.pk, col(WaitlistEntry.status) == "OFFERED"
    )
    entry = (await db.execute(query)).scalar_one_or_none()
    if entry is None:
        return
    status, event = FOLLOWS[to_status]
    free = await seats_left(db, booking.session_id)
    await move(db, entry, status, now, free=free, event=event, reason=f"its offer was {to_status.lower()}")
