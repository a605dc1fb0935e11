"""The public-data version that read caches check, and when time alone next changes a read.

Every write transaction that can change what anonymous readers see (seats, sessions) raises the
version just before it commits, in the same transaction, so a reader that sees the new data also
sees the new version. The version is the sum of SHARDS counters, and a write raises the one of
the session it changes: bookings of different sessions then lock different rows and never queue
behind each other's commit, while the sum still rises with every committed write.

Time changes reads too (a hold lapses, a booking cut-off passes, a session starts); the next
such moment bounds how long a cached read may live.
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlmodel import col

from models.live.emit import announce
from models.live.hub import hub_of
from models.tables import Booking, CatalogVersion, Center, TourSession
from models.timeutil import LOCAL_TZ, to_local

SHARDS = 64


async def commit_write(db: AsyncSession, session_id: int | None = None) -> None:
    """Announce the transaction's changes (models/live/emit.py), raise the catalogue version and
    commit. A write of one session raises that session's counter (its row lock, held until the
    commit, is shared only with writes of sessions in the same shard); other writes raise the first."""
    changes = await announce(db)
    shard = 1 + (session_id % SHARDS if session_id is not None else 0)
    raised = await db.execute(
        update(CatalogVersion).where(col(CatalogVersion.id) == shard).values(version=col(CatalogVersion.version) + 1)
    )
    if not isinstance(raised, CursorResult) or raised.rowcount != 1:  # a write no cache could notice must not commit
        raise RuntimeError(f"catalog_version has no shard {shard}; run the migrations")
    await db.commit()
    if changes and db.get_bind().dialect.name != "postgresql":  # PostgreSQL: NOTIFY reaches every process
        hub_of(db.get_bind().engine).publish(changes)


# Plain SQL: read caches ask on every request, and building the statement costs more than running it.
CURRENT_VERSION_SQL = "SELECT sum(version) FROM catalog_version"


async def current_version(conn: AsyncConnection) -> int:
    return int((await conn.exec_driver_sql(CURRENT_VERSION_SQL)).scalar_one())


async def next_time_change(conn: AsyncConnection, now: datetime) -> datetime | None:
    """The next moment a read can change with no write: a booking cut-off, a session's start
    (lists of upcoming sessions drop it, cancelled or not), a hold expiry, or the first day of a
    center's opening or closing (coverage counts centers open on the day)."""
    cutoff = (
        await conn.execute(
            select(func.min(col(TourSession.booking_closes_at))).where(
                col(TourSession.status) == "SCHEDULED", col(TourSession.booking_closes_at) > now
            )
        )
    ).scalar_one()
    start = (
        await conn.execute(select(func.min(col(TourSession.starts_at))).where(col(TourSession.starts_at) > now))
    ).scalar_one()
    lapse = (
        await conn.execute(
            select(func.min(col(Booking.hold_expires_at))).where(
                col(Booking.status) == "HELD", col(Booking.hold_expires_at) > now
            )
        )
    ).scalar_one()
    found = [m for m in (cutoff, start, lapse, await _next_center_day(conn, now)) if m is not None]
    # SQLite gives aggregates back without their zone: the stored values are UTC.
    moments = [m if m.tzinfo else m.replace(tzinfo=now.tzinfo) for m in found]
    return min(moments) if moments else None


async def _next_center_day(conn: AsyncConnection, now: datetime) -> datetime | None:
    """Local midnight starting the next day on which a center opens or closes."""
    today = to_local(now).date()
    days = [
        (await conn.execute(select(func.min(column)).where(column > today))).scalar_one()
        for column in (col(Center.opened_on), col(Center.closed_on))
    ]
    upcoming = [d for d in days if d is not None]
    return datetime.combine(min(upcoming), time(), tzinfo=LOCAL_TZ) if upcoming else None
