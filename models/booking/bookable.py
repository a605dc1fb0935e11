"""Whether a session takes new bookings (and so new waiting-list entries) now."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from models.booking.locking import lock_session
from models.errors import NotFound, SessionClosed
from models.tables import Tour, TourSession
from models.timeutil import to_local


async def lock_bookable(db: AsyncSession, session_id: int, now: datetime) -> tuple[TourSession, Tour]:
    """The session, locked, and its tour, if the session takes bookings now."""
    session = await lock_session(db, session_id)
    if session is None:
        raise NotFound("no session with this id", "sessionId")
    tour = await db.get(Tour, session.tour_id)
    assert tour is not None
    check_bookable(session, tour, now)
    return session, tour


def check_bookable(session: TourSession, tour: Tour, now: datetime) -> None:
    if tour.archived:
        raise SessionClosed("this tour is archived: it takes no new bookings", "sessionId")
    if session.status == "CANCELLED":
        raise SessionClosed("this session is cancelled", "sessionId")
    if now >= session.booking_closes_at:
        closed = to_local(session.booking_closes_at).isoformat()
        raise SessionClosed(f"booking for this session closed at {closed}", "sessionId")
