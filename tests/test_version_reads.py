"""Shared version reads (web/version_reads.py): a caller only ever gets a read that started after
it called, so a write committed before the call is always seen; concurrent callers share reads."""

from __future__ import annotations

import asyncio

from models.catalog_version import current_version
from models.db import create_engine
from models.driver_reads import listen_for_statements
from models.engine_shutdown import close_engine
from tests.support import ScratchDatabase
from web.version_reads import SharedReads, shared_version_reads


class GatedVersion:
    """A version that tests raise at will, read by reads that wait for a gate before answering
    what they saw when they started."""

    def __init__(self) -> None:
        self.version = 1
        self.started = 0
        self.gate = asyncio.Event()
        self.first_started = asyncio.Event()

    async def read(self) -> int:
        seen = self.version
        self.started += 1
        self.first_started.set()
        await self.gate.wait()
        return seen


async def test_a_caller_arriving_during_a_read_waits_for_the_next_one() -> None:
    versions = GatedVersion()
    reads = SharedReads(versions.read)
    early = [asyncio.create_task(reads.current()) for _ in range(3)]
    await versions.first_started.wait()  # the first read is running, and saw version 1
    versions.version = 2  # a write commits
    late = [asyncio.create_task(reads.current()) for _ in range(5)]  # these arrive after that write
    await asyncio.sleep(0)
    versions.gate.set()
    assert await asyncio.gather(*early) == [1, 1, 1]
    assert await asyncio.gather(*late) == [2] * 5
    assert versions.started == 2  # eight callers, two reads


async def test_a_failed_read_fails_its_callers_only() -> None:
    outcomes = iter([RuntimeError("connection lost"), 7])

    async def read() -> int:
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    reads = SharedReads(read)
    failed = await asyncio.gather(reads.current(), reads.current(), return_exceptions=True)
    assert [str(f) for f in failed] == ["connection lost", "connection lost"]
    assert await reads.current() == 7


async def test_a_cancelled_caller_does_not_cancel_the_others() -> None:
    versions = GatedVersion()
    reads = SharedReads(versions.read)
    leaving, staying = asyncio.create_task(reads.current()), asyncio.create_task(reads.current())
    await versions.first_started.wait()
    leaving.cancel()
    versions.gate.set()
    assert await staying == 1
    assert leaving.cancelled()


async def test_concurrent_callers_share_reads_of_the_real_version(seeded_db: ScratchDatabase) -> None:
    engine = create_engine(seeded_db.url)
    statements: list[str] = []
    listen_for_statements(engine, statements.append)
    try:
        async with engine.connect() as conn:
            stored = await current_version(conn)
        reads = shared_version_reads(engine)
        statements.clear()
        assert await asyncio.gather(*(reads.current() for _ in range(50))) == [stored] * 50
        version_reads = [s for s in statements if "catalog_version" in s]
        assert 1 <= len(version_reads) <= 2, version_reads
        async with engine.begin() as conn:
            await conn.exec_driver_sql("UPDATE catalog_version SET version = version + 1 WHERE id = 1")
        assert await reads.current() == stored + 1
    finally:
        await close_engine(engine)
