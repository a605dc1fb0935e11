"""An operator's private feed: one event per booking, 30 days back and 365 ahead."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.booking.queries import effective_status
from models.calendar.feed import FeedEvent
from models.tables import Booking, Principal, Tour, TourSession

DAYS_BACK, DAYS_AHEAD = 30, 365


async def operator_events(db: AsyncSession, operator: Principal, now: datetime) -> list[FeedEvent]:
    query = (
        select(Booking, TourSession, Tour)
        .join(TourSession, col(TourSession.id) == col(Booking.session_id))
        .join(Tour, col(Tour.id) == col(TourSession.tour_id))
        .where(
            col(Booking.principal_id) == operator.id,
            col(TourSession.starts_at) >= now - timedelta(days=DAYS_BACK),
            col(TourSession.starts_at) <= now + timedelta(days=DAYS_AHEAD),
        )
        .order_by(col(TourSession.starts_at), col(Booking.id))
    )
    events = []
    for booking, session, tour in await db.execute(query):
        status = effective_status(booking, now)
        if status == "EXPIRED":
            continue
        tickets = ", ".join(f"{t['quantity']} {t['category']}" for t in booking.tickets)
        events.append(
            FeedEvent(
                uid=f"booking-{booking.reference}@craftway",
                sequence=booking.sequence + session.sequence,
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                summary=f"{tour.title} · {booking.seats} chỗ · {booking.reference}",
                description=(
                    f"Mã đặt chỗ / Booking {booking.reference}: {status}\n"
                    f"Vé / Tickets: {tickets}\nTổng / Total: {booking.total_vnd:,} VND"
                    + (f"\nLý do hủy / Cancelled: {booking.cancel_reason}" if booking.cancel_reason else "")
                ),
                last_modified=max(booking.updated_at, session.updated_at),
                cancelled=status == "CANCELLED" or session.status == "CANCELLED",
            )
        )
    return events
