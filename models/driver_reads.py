"""Read-only statements sent straight to the database driver on a pooled connection, for the
reads every request makes (the catalogue version, the planner's statements).

SQLAlchemy's cursor costs more than those statements: on SQLite each cursor operation is a
crossing to aiosqlite's thread (a cursor, execute, fetch and close per statement, and the same
again for a BEGIN), on PostgreSQL a layer of adaptation around asyncpg. Here a statement is one
crossing (aiosqlite's execute_fetchall) or one asyncpg call, and it runs outside SQLAlchemy's
transactions: on PostgreSQL each statement reads committed rows (as READ COMMITTED would), and
on SQLite `snapshot()` holds one read transaction over several statements. The pool still hands
out, checks and resets the connection as for any other use.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Engine
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

StatementListener = Callable[[str], None]
# What SQLAlchemy's before_cursor_execute event is to its own statements (these bypass it):
# tests count the statements a request costs with it.
_LISTENERS: WeakKeyDictionary[Engine, list[StatementListener]] = WeakKeyDictionary()


def listen_for_statements(engine: AsyncEngine, listener: StatementListener) -> Callable[[], None]:
    """Call `listener` with each statement sent to `engine`'s driver here; returns the remover."""
    listeners = _LISTENERS.setdefault(engine.sync_engine, [])
    listeners.append(listener)
    return lambda: listeners.remove(listener)


class DriverReadFailed(Exception):
    """The database refused the statement (an error in the data or in the statement)."""


class DriverReads:
    def __init__(self, connection: AsyncConnection, driver: Any) -> None:
        self.connection = connection  # its `info` lives as long as the driver connection
        self.driver = driver
        self.sqlite = connection.dialect.name == "sqlite"
        self.listeners = _LISTENERS.get(connection.sync_engine, ())

    async def value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row. PostgreSQL's json arrives decoded (SQLAlchemy set
        a codec on the connection); SQLite's as text."""
        for listener in self.listeners:
            listener(sql)
        if self.sqlite:
            try:
                rows = await self.driver.execute_fetchall(sql, params)
            except sqlite3.Error as error:
                raise DriverReadFailed(str(error)) from error
            return rows[0][0]
        import asyncpg  # only where PostgreSQL is used

        try:
            return await self.driver.fetchval(sql, *params)
        except asyncpg.PostgresError as error:
            raise DriverReadFailed(str(error)) from error

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[None]:
        """On SQLite, one read transaction for the statements inside; on PostgreSQL nothing:
        each statement has its own snapshot there, as in a READ COMMITTED transaction."""
        if not self.sqlite:
            yield
            return
        await self._control("BEGIN")
        try:
            yield
        finally:
            await self._control("ROLLBACK")

    async def _control(self, sql: str) -> None:
        for listener in self.listeners:
            listener(sql)
        await self.driver.execute_fetchall(sql)


@asynccontextmanager
async def driver_reads(engine: AsyncEngine) -> AsyncIterator[DriverReads]:
    """A pooled connection of `engine` for reads straight to its driver."""
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        yield DriverReads(connection, raw.driver_connection)
