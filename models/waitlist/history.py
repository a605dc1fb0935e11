"""Every state change of a waiting-list entry, recorded in the transaction that makes it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from models.live.changes import note_waitlist
from models.tables import TourSession, WaitlistEntry, WaitlistEvent
from models.tables.core import core_table

SESSIONS = core_table(TourSession)
S = SESSIONS.c


async def move(
    db: AsyncSession,
    entry: WaitlistEntry,
    to_status: str,
    now: datetime,
    *,
    free: int,
    event: str | None = None,
    reason: str | None = None,
) -> None:
    """Move `entry` to `to_status` (a new entry: from None), keep its session's count of WAITING
    entries with it, and write the event. `free`: the session's free seats just after."""
    from_status = None if entry.id is None else entry.status
    entry.status = to_status
    entry.updated_at = now
    entry.sequence = 0 if entry.id is None else entry.sequence + 1
    db.add(entry)
    await db.flush()
    delta = (to_status == "WAITING") - (from_status == "WAITING")
    if delta:
        await db.execute(
            update(SESSIONS).where(S.id == entry.session_id).values(waitlist_length=S.waitlist_length + delta)
        )
    db.add(
        WaitlistEvent(
            entry_id=entry.pk, at=now, from_status=from_status, to_status=to_status, seats_free=free, reason=reason
        )
    )
    note_waitlist(db, entry.pk, entry.session_id, now, event)
