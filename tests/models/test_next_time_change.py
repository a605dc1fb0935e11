"""The next moment time alone changes a read (models/catalog_version.next_time_change), which
bounds how long the response cache keeps an answer: each of its sources, on a real SQLite file
and on PostgreSQL, taken away one by one."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.catalog_version import next_time_change
from models.db import create_engine
from models.engine_shutdown import close_engine
from models.tables import Booking, Center, TourSession
from models.tables.token import Principal
from models.timeutil import LOCAL_TZ
from tests.support import T0, seeded_database

NOW = T0


async def _moments(url: str) -> list[datetime | None]:
    engine = create_engine(url)
    moments: list[datetime | None] = []

    async def look() -> None:
        async with engine.connect() as conn:
            moments.append(await next_time_change(conn, NOW))

    try:
        async with AsyncSession(engine, expire_on_commit=False) as db:
            kept = (await db.get(TourSession, 1)) or pytest.fail("the seed has no session 1")
            await db.execute(delete(TourSession).where(col(TourSession.id) != kept.id))
            kept.status = "SCHEDULED"
            kept.booking_closes_at = NOW + timedelta(hours=3)
            kept.starts_at = NOW + timedelta(hours=5)
            kept.ends_at = NOW + timedelta(hours=6)
            await db.execute(update(Center).values(opened_on=date(2022, 1, 1), closed_on=None))
            center = (await db.get(Center, 1)) or pytest.fail("the seed has no center 1")
            center.closed_on = NOW.astimezone(LOCAL_TZ).date() + timedelta(days=2)
            operator = Principal(role="OPERATOR", name="Clock", created_at=NOW)
            db.add(operator)
            await db.flush()
            assert operator.id is not None and kept.id is not None
            held = Booking(
                reference="CLOCK1",
                principal_id=operator.id,
                session_id=kept.id,
                status="HELD",
                seats=1,
                tickets=[],
                total_vnd=0,
                contact_name="Clock",
                hold_expires_at=NOW + timedelta(hours=4),
                created_at=NOW,
                updated_at=NOW,
                sequence=1,
            )
            db.add(held)
            await db.commit()
            await look()  # the booking cut-off comes first
            kept.status = "CANCELLED"  # a cancelled session has no cut-off any more
            await db.commit()
            await look()
            held.status = "CONFIRMED"  # a confirmed booking lapses never
            await db.commit()
            await look()
            kept.starts_at = NOW + timedelta(days=10)
            kept.ends_at = kept.starts_at + timedelta(hours=1)
            await db.commit()
            await look()  # the center closing, at local midnight
            center.closed_on = None
            kept.starts_at = NOW - timedelta(hours=1)  # begun: nothing more will change
            kept.ends_at = NOW + timedelta(hours=1)
            await db.commit()
            await look()
    finally:
        await close_engine(engine)
    return moments


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_each_source_of_a_time_driven_change_in_turn(backend: str, tmp_path: Path) -> None:
    db = seeded_database(backend, tmp_path)
    try:
        moments = asyncio.run(_moments(db.url))
    finally:
        db.drop()
    closing_day = NOW.astimezone(LOCAL_TZ).date() + timedelta(days=2)
    assert moments == [
        NOW + timedelta(hours=3),
        NOW + timedelta(hours=4),
        NOW + timedelta(hours=5),
        datetime(closing_day.year, closing_day.month, closing_day.day, tzinfo=LOCAL_TZ),
        None,
    ]
