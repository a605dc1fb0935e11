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
    center's opening or closing (coverage counts centers open on the day). One statement: the
    response cache asks again after every write."""
    today = to_local(now).date()
    earliest = [
        select(func.min(col(TourSession.booking_closes_at))).where(
            col(TourSession.status) == "SCHEDULED", col(TourSession.booking_closes_at) > now
        ),
        select(func.min(col(TourSession.starts_at))).where(col(TourSession.starts_at) > now),
        select(func.min(col(Booking.hold_expires_at))).where(
            col(Booking.status) == "HELD", col(Booking.hold_expires_at) > now
        ),
        select(func.min(col(Center.opened_on))).where(col(Center.opened_on) > today),
        select(func.min(col(Center.closed_on))).where(col(Center.closed_on) > today),
    ]
    row = (await conn.execute(select(*(query.scalar_subquery() for query in earliest)))).one()
    *moments, opened_on, closed_on = row
    # SQLite gives aggregates back without their zone: the stored values are UTC.
    found = [m if m.tzinfo else m.replace(tzinfo=now.tzinfo) for m in moments if m is not None]
    days = [d for d in (opened_on, closed_on) if d is not None]
    if days:  # local midnight starting the next day on which a center opens or closes
        found.append(datetime.combine(min(days), time(), tzinfo=LOCAL_TZ))
    return min(found) if found else None
