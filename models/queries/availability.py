"""Seats left in a session, judged at a moment.

`seats_taken` still includes HELD bookings whose hold has run out but that no write has marked
EXPIRED yet; they stop counting by time alone, so reads add them back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.sql import ColumnElement
from sqlmodel import col

from models.tables import Booking, TourSession
from models.tables.core import core_table


def lapsed_hold_seats(session_id: Any, now: datetime) -> ColumnElement[int]:
    """Seats of HELD bookings of `session_id` whose hold expired at or before `now`."""
    lapsed = (
        select(func.coalesce(func.sum(col(Booking.seats)), 0))
        .where(
            col(Booking.session_id) == session_id,
            col(Booking.status) == "HELD",
            col(Booking.hold_expires_at) <= now,
        )
        .scalar_subquery()
    )
    return lapsed


def seats_available(now: datetime) -> ColumnElement[int]:
    """SQL expression for a tour_session row's seats left at `now`."""
    s = core_table(TourSession).c
    return s.capacity - s.seats_taken + lapsed_hold_seats(s.id, now)
