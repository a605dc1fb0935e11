"""Moving a session's seat counter, only ever by guarded statements under the session's lock."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Update, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.booking.history import record
from models.tables import Booking, TourSession
from models.tables.core import core_table

SESSIONS = core_table(TourSession)
S = SESSIONS.c


async def _rowcount(db: AsyncSession, statement: Update) -> int:
    """Rows an UPDATE matched (a DML statement gives a CursorResult, which SQLAlchemy types as Result)."""
    result = cast(CursorResult[Any], await db.execute(statement))
    return result.rowcount


async def take(db: AsyncSession, session_id: int, seats: int) -> bool:
    """Add `seats` to the counter if they fit; False when they do not (nothing changed)."""
    matched = await _rowcount(
        db,
        update(SESSIONS)
        .where(S.id == session_id, S.seats_taken + seats <= S.capacity)
        .values(seats_taken=S.seats_taken + seats),
    )
    return matched == 1


async def give_back(db: AsyncSession, session_id: int, seats: int) -> None:
    matched = await _rowcount(
        db,
        update(SESSIONS).where(S.id == session_id, S.seats_taken >= seats).values(seats_taken=S.seats_taken - seats),
    )
    if matched != 1:
        raise RuntimeError(f"seat counter of session {session_id} would go below zero")


async def expire_hold(db: AsyncSession, booking: Booking, now: datetime) -> None:
    """Mark a lapsed hold EXPIRED and free its seats (the caller holds the session's lock)."""
    await give_back(db, booking.session_id, booking.seats)
    await record(db, booking, "EXPIRED", now, actor=None, reason="hold expired")


async def release_lapsed_holds(db: AsyncSession, session_id: int, now: datetime) -> int:
    """Mark the session's lapsed holds EXPIRED (the caller holds its lock); how many."""
    lapsed = (
        await db.execute(
            select(Booking).where(
                col(Booking.session_id) == session_id,
                col(Booking.status) == "HELD",
                col(Booking.hold_expires_at) <= now,
            )
        )
    ).scalars()
    found = list(lapsed)
    for booking in found:
        await expire_hold(db, booking, now)
    return len(found)
