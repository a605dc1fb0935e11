"""Bookings of different sessions do not queue behind each other's commit on PostgreSQL: the
catalogue version that read caches check is kept in shards, one per group of sessions, so a
booking locks only its own session's counter. With one shared counter the same test shows the
second booking waiting, which is how it was before."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

import models.booking.operations as operations
from models import catalog_version
from models.auth import principal_for_token
from models.booking.requests import Contact, SeatRequest, TicketLine
from models.db import create_engine, session_factory
from models.engine_shutdown import close_engine
from tests.support import T0, make_token, require_postgres, run_sql, seeded_database

WAIT_SECONDS = 5


def request(session_id: int, key: str) -> SeatRequest:
    return SeatRequest(session_id, (TicketLine("ADULT", 1),), Contact("Lan"), key)


async def book_b_while_a_waits_to_commit(url: str, token: str, a: int, b: int, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Book session A but stop it just before its commit; book session B meanwhile. True when B
    completed while A was still open. Reads while A is open see neither A's seat nor its version."""
    engine = create_engine(url)
    sessions = session_factory(engine)
    a_open, release_a = asyncio.Event(), asyncio.Event()
    real_commit_write = operations.commit_write

    async def commit_write_pausing_a(db: Any, session_id: int | None = None) -> None:
        if session_id == a:
            commit = db.commit

            async def commit_when_released() -> None:
                a_open.set()
                await release_a.wait()
                await commit()

            db.commit = commit_when_released
        await real_commit_write(db, session_id)

    monkeypatch.setattr(operations, "commit_write", commit_write_pausing_a)
    try:
        async with sessions() as db:
            operator = await principal_for_token(db, token)
        assert operator is not None
        async with engine.connect() as conn:
            before = await catalog_version.current_version(conn)
        booking_a = asyncio.create_task(operations.reserve(sessions, operator, request(a, "a"), T0, confirm=True))
        await asyncio.wait_for(a_open.wait(), WAIT_SECONDS)
        try:
            await asyncio.wait_for(
                operations.reserve(sessions, operator, request(b, "b"), T0, confirm=True), WAIT_SECONDS
            )
            b_finished_first = not booking_a.done()
        except TimeoutError:
            b_finished_first = False
        async with engine.connect() as conn:
            during = await catalog_version.current_version(conn)
        release_a.set()
        await asyncio.wait_for(booking_a, WAIT_SECONDS * 2)
        async with engine.connect() as conn:
            after = await catalog_version.current_version(conn)
        if b_finished_first:
            assert (during, after) == (before + 1, before + 2)  # A's raise is seen exactly when A's seat is
        return b_finished_first
    finally:
        await close_engine(engine)


def two_sessions_in_different_shards(url: str) -> tuple[int, int]:
    first, second = (int(r[0]) for r in run_sql(url, "SELECT id FROM tour_session ORDER BY id LIMIT 2"))
    assert first % catalog_version.SHARDS != second % catalog_version.SHARDS
    return first, second


def test_a_booking_of_another_session_completes_while_one_waits_to_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_postgres()
    db = seeded_database("postgresql", tmp_path)
    try:
        a, b = two_sessions_in_different_shards(db.url)
        token = make_token(db.url, "OPERATOR", "Parallel Tours")
        assert asyncio.run(book_b_while_a_waits_to_commit(db.url, token, a, b, monkeypatch))
        assert run_sql(db.url, "SELECT count(*) FROM booking WHERE status = 'CONFIRMED'") == [(2,)]
    finally:
        db.drop()


def test_with_one_shared_counter_the_second_booking_waits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above can fail: with a single counter row (SHARDS = 1) B queues behind A."""
    require_postgres()
    db = seeded_database("postgresql", tmp_path)
    try:
        a, b = two_sessions_in_different_shards(db.url)
        token = make_token(db.url, "OPERATOR", "Serial Tours")
        monkeypatch.setattr(catalog_version, "SHARDS", 1)
        assert not asyncio.run(book_b_while_a_waits_to_commit(db.url, token, a, b, monkeypatch))
    finally:
        db.drop()
