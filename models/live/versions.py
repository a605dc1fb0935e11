"""What a subscriber re-reads after a RESYNC: change counters to compare with those it knew."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import Booking, TourSession
from models.tables.core import core_table

S = core_table(TourSession).c
B = core_table(Booking).c


async def session_versions(db: AsyncSession, tour_id: int) -> dict[int, int]:
    """Session id -> version, for every session of the tour."""
    rows = await db.execute(select(S.id, S.version).where(S.tour_id == tour_id))
    return {pk: version for pk, version in rows.all()}


async def booking_versions_since(db: AsyncSession, principal_id: int, since: datetime) -> dict[int, int]:
    """Booking id -> sequence, for the operator's bookings changed at or after `since`."""
    rows = await db.execute(select(B.id, B.sequence).where(B.principal_id == principal_id, B.updated_at >= since))
    return {pk: sequence for pk, sequence in rows.all()}
