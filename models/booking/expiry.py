"""Holds lapse on time: a sweep marks lapsed holds EXPIRED and frees their seats, so their
events go out with no request needed. The lazy rule (a lapsed hold never counts) stays the
correctness backstop; the sweep only makes the change visible.

Safe with several processes: each session is re-read under its lock (the order every writer
uses), so a hold another process or a booking request already expired is not expired again.
The seats a lapsed hold frees go to the session's waiting list first (models/waitlist/offers.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import col

from models.booking.locking import begin_write, lock_session
from models.catalog_version import commit_write
from models.db import SessionFactory
from models.tables import Booking
from models.waitlist.offers import release_and_offer

BATCH = 200


async def sessions_with_lapsed_holds(sessions: SessionFactory, now: datetime) -> list[int]:
    async with sessions() as db:
        query = (
            select(col(Booking.session_id))
            .where(col(Booking.status) == "HELD", col(Booking.hold_expires_at) <= now)
            .order_by(col(Booking.hold_expires_at))
            .limit(BATCH)
        )
        found = (await db.execute(query)).scalars().all()
    return list(dict.fromkeys(found))


async def expire_lapsed_holds(sessions: SessionFactory, now: datetime) -> int:
    """One sweep; how many holds it expired."""
    expired = 0
    for session_id in await sessions_with_lapsed_holds(sessions, now):
        async with sessions() as db:
            await begin_write(db)
            if await lock_session(db, session_id) is None:
                continue
            released = await release_and_offer(db, session_id, now)
            if released:
                await commit_write(db, session_id)
                expired += released
    return expired
