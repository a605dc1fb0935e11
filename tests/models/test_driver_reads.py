"""Reads straight to the driver (models/driver_reads.py) leave the pool as they found it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from models.db import create_engine
from models.driver_reads import driver_reads
from models.engine_shutdown import close_engine
from tests.support import new_database, require_postgres


async def _cancel_a_read_then_read_again(url: str) -> int:
    engine = create_engine(url, pool_size=1)  # the next read needs the cancelled read's connection
    try:

        async def slow_read() -> None:
            async with driver_reads(engine) as reads:
                await reads.value("SELECT pg_sleep(5)")

        slow = asyncio.create_task(slow_read())
        await asyncio.sleep(0.5)  # the statement is running on the server
        slow.cancel()
        with pytest.raises(asyncio.CancelledError):
            await slow
        async with driver_reads(engine) as reads:
            return int(await asyncio.wait_for(reads.value("SELECT 41 + 1"), timeout=3))
    finally:
        await close_engine(engine)


def test_a_read_cancelled_mid_statement_leaves_no_busy_connection_in_the_pool(tmp_path: Path) -> None:
    """A client that goes away mid-read cancels its task: its connection goes back to the pool
    (the pool has one) and serves the next read."""
    require_postgres()
    database = new_database("postgresql", tmp_path)
    try:
        assert asyncio.run(_cancel_a_read_then_read_again(database.url)) == 42
    finally:
        database.drop()


async def _plans_of_a_statement_run_ten_times(url: str) -> tuple[int, int]:
    engine = create_engine(url, pool_size=1)  # every statement on the one connection
    statement = "SELECT count(*) FROM (SELECT 1 FROM generate_series(1, 100) LIMIT $1::int) s"
    try:
        for limit in range(1, 11):
            async with driver_reads(engine) as reads:
                assert await reads.value(statement, (limit,)) == limit
        async with driver_reads(engine) as reads:
            plans = await reads.value(
                "SELECT array[generic_plans, custom_plans] FROM pg_prepared_statements WHERE statement = $1",
                (statement,),
            )
        return int(plans[0]), int(plans[1])
    finally:
        await close_engine(engine)


def test_prepared_statements_are_planned_once_not_at_every_execution(tmp_path: Path) -> None:
    """PostgreSQL's default plans the first five executions of a prepared statement for their
    values, and later ones too when its generic estimate of `LIMIT $1` looks worse: Craftway's
    connections keep one generic plan (models/db.py says why)."""
    require_postgres()
    database = new_database("postgresql", tmp_path)
    try:
        generic, custom = asyncio.run(_plans_of_a_statement_run_ten_times(database.url))
    finally:
        database.drop()
    assert (generic, custom) == (10, 0)
