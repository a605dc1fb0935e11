"""The catalogue version as the response cache reads it: one read at a time per process, each
shared by every request that arrived while the one before it was running.

A request must see every write acknowledged before it arrived (another process may have made
it), so it may only use a read that *starts* after it arrived. Requests that arrive while a read
is running therefore wait for the next one, which starts as soon as that one ends and serves all
of them. Under load a process then spends one round trip per round trip's worth of requests
instead of one per request; with no load a request waits for exactly one read, as before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from models.catalog_version import CURRENT_VERSION_SQL
from models.driver_reads import driver_reads


class SharedReads:
    """Calls of `current()` answered by shared calls of `read`, each started after the call."""

    def __init__(self, read: Callable[[], Awaitable[int]]) -> None:
        self.read = read
        self._next: asyncio.Future[int] | None = None  # the read that has not started yet
        self._reading: asyncio.Task[None] | None = None

    async def current(self) -> int:
        waiting = self._next
        if waiting is None:
            waiting = self._next = asyncio.get_running_loop().create_future()
            if self._reading is None:
                self._reading = asyncio.get_running_loop().create_task(self._read_while_asked())
        # shield: a caller that goes away (a closed connection) must not cancel the others' read
        return await asyncio.shield(waiting)

    async def _read_while_asked(self) -> None:
        try:
            while self._next is not None:
                answering, self._next = self._next, None  # later callers wait for the next read
                try:
                    value = await self.read()
                except Exception as error:
                    answering.set_exception(error)
                    answering.exception()  # retrieved: a read nobody awaits any more must not warn
                else:
                    answering.set_result(value)
        finally:
            self._reading = None


def without_transaction(engine: AsyncEngine) -> AsyncEngine:
    """On PostgreSQL a read of committed rows needs no transaction of its own, which saves the
    BEGIN and ROLLBACK round trips; SQLite reads in one as before."""
    return engine.execution_options(isolation_level="AUTOCOMMIT") if engine.dialect.name == "postgresql" else engine


def shared_version_reads(engine: AsyncEngine) -> SharedReads:
    """The catalogue version of `engine`'s database, read as above, straight from the driver
    (one statement needs no transaction, and SQLAlchemy's cursor costs more than the read)."""

    async def read() -> int:
        async with driver_reads(engine) as reads:
            return int(await reads.value(CURRENT_VERSION_SQL))

    return SharedReads(read)
