"""Waiting lists close with their session's booking: once the cut-off passes, a sweep marks the
WAITING entries CLOSED (readers see them CLOSED by time alone before that; see entries.py).
Each session is re-read under its lock, so several processes close each entry once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from models.booking.locking import begin_write, lock_session
from models.catalog_version import commit_write
from models.db import SessionFactory
from models.tables import TourSession
from models.tables.core import core_table
from models.waitlist.offers import close_waitlist

BATCH = 100
S = core_table(TourSession).c


async def close_lapsed_waitlists(sessions: SessionFactory, now: datetime) -> int:
    """One sweep; how many entries it closed."""
    async with sessions() as db:
        query = (
            select(S.id)
            .where(S.waitlist_length > 0, S.booking_closes_at <= now)
            .order_by(S.booking_closes_at)
            .limit(BATCH)
        )
        due: list[int] = list((await db.execute(query)).scalars())
    closed = 0
    for session_id in due:
        async with sessions() as db:
            await begin_write(db)
            if await lock_session(db, session_id) is None:
                continue
            count = await close_waitlist(db, session_id, now, "booking for the session closed", ("WAITING",))
            if count:
                await commit_write(db, session_id)
                closed += count
    return closed
