"""A session's free seats as its counter has them (the caller holds the session's lock)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import TourSession
from models.tables.core import core_table

S = core_table(TourSession).c


async def seats_left(db: AsyncSession, session_id: int) -> int:
    capacity, taken = (await db.execute(select(S.capacity, S.seats_taken).where(S.id == session_id))).one()
    return int(capacity - taken)
