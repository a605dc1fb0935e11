"""Read-only statements sent straight to the database, for the reads every request makes (the
catalogue version, the planner's statements).

SQLAlchemy's cursor costs more than those statements. On PostgreSQL it is a layer of adaptation
around asyncpg: here a statement is one asyncpg call on a pooled connection, outside SQLAlchemy's
transactions (each statement reads committed rows, as in a READ COMMITTED transaction). On
SQLite every cursor operation is a crossing to aiosqlite's thread (a cursor, execute, fetch and
close per statement, and as many again for its BEGIN), and under load each crossing waits for
the event loop's thread to let go of the GIL: here the statement runs in the event loop's own
thread on a plain sqlite3 connection kept for reads (WAL lets it read while others write).
A read takes well under a millisecond, less than the crossings it replaces.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.util import greenlet_spawn

READ_BUSY_TIMEOUT_MS = 5_000  # WAL readers wait only while a checkpoint resets the log

StatementListener = Callable[[str], None]
# What SQLAlchemy's before_cursor_execute event is to its own statements (these bypass it):
# tests count the statements a request costs with it.
_LISTENERS: WeakKeyDictionary[Engine, list[StatementListener]] = WeakKeyDictionary()


def listen_for_statements(engine: AsyncEngine, listener: StatementListener) -> Callable[[], None]:
    """Call `listener` with each statement sent to `engine`'s database here; returns the remover."""
    listeners = _LISTENERS.setdefault(engine.sync_engine, [])
    listeners.append(listener)
    return lambda: listeners.remove(listener)


class DriverReadFailed(Exception):
    """The database refused the statement (an error in the data or in the statement)."""


class DriverReads:
    """Statements on one database connection: `info` lives as long as that connection does."""

    sqlite = False

    def __init__(self, engine: Engine, info: dict[Any, Any]) -> None:
        self.info = info
        self.listeners = _LISTENERS.get(engine, ())

    async def value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row. PostgreSQL's json arrives decoded (SQLAlchemy set
        a codec on the connection); SQLite's as text."""
        for listener in self.listeners:
            listener(sql)
        return await self._value(sql, params)

    async def _value(self, sql: str, params: Sequence[Any]) -> Any:
        raise NotImplementedError

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[None]:
        """One read transaction for the statements inside on SQLite; on PostgreSQL nothing:
        each statement has its own snapshot there, as in a READ COMMITTED transaction."""
        yield

    async def create_function(self, name: str, arity: int, function: Callable[..., Any], deterministic: bool) -> None:
        raise NotImplementedError


class _AsyncpgReads(DriverReads):
    def __init__(self, engine: Engine, info: dict[Any, Any], driver: Any) -> None:
        super().__init__(engine, info)
        self.driver = driver

    async def _value(self, sql: str, params: Sequence[Any]) -> Any:
        import asyncpg  # only where PostgreSQL is used

        try:
            return await self.driver.fetchval(sql, *params)
        except asyncpg.PostgresError as error:
            raise DriverReadFailed(str(error)) from error


class _SqliteReads(DriverReads):
    """A sqlite3 connection used synchronously (plain, or aiosqlite's through its thread)."""

    sqlite = True

    async def _value(self, sql: str, params: Sequence[Any]) -> Any:
        try:
            rows = await self._fetch(sql, params)
        except sqlite3.Error as error:
            raise DriverReadFailed(str(error)) from error
        return rows[0][0]

    async def _fetch(self, sql: str, params: Sequence[Any]) -> list[Any]:
        raise NotImplementedError

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[None]:
        await self._control("BEGIN")
        try:
            yield
        finally:
            await self._control("ROLLBACK")

    async def _control(self, sql: str) -> None:
        for listener in self.listeners:
            listener(sql)
        await self._fetch(sql, ())


class _AiosqliteReads(_SqliteReads):
    """In the transaction of a SQLAlchemy connection: one crossing to aiosqlite's thread."""

    def __init__(self, connection: AsyncConnection, driver: Any) -> None:
        super().__init__(connection.sync_engine, connection.info)
        self.driver = driver

    async def _fetch(self, sql: str, params: Sequence[Any]) -> list[Any]:
        return list(await self.driver.execute_fetchall(sql, params))

    async def create_function(self, name: str, arity: int, function: Callable[..., Any], deterministic: bool) -> None:
        await self.driver.create_function(name, arity, function, deterministic=deterministic)


class _InlineSqliteReads(_SqliteReads):
    """On the read connection of the calling thread, in that thread."""

    def __init__(self, engine: Engine, connection: sqlite3.Connection, info: dict[Any, Any]) -> None:
        super().__init__(engine, info)
        self.driver = connection

    async def _fetch(self, sql: str, params: Sequence[Any]) -> list[Any]:
        return self.driver.execute(sql, params).fetchall()

    async def create_function(self, name: str, arity: int, function: Callable[..., Any], deterministic: bool) -> None:
        self.driver.create_function(name, arity, function, deterministic=deterministic)


class _ReadConnections:
    """A SQLite file's read connections, one per thread that reads, closed with the engine's pool."""

    def __init__(self, engine: Engine) -> None:
        path = engine.url.database
        if not path or path == ":memory:" or path.startswith("file:"):
            raise ValueError("Craftway's SQLite database must be a file (sqlite:///path.db)")
        self.path = path
        self.local = threading.local()
        self.opened: list[sqlite3.Connection] = []
        self.lock = threading.Lock()

    def of_this_thread(self) -> tuple[sqlite3.Connection, dict[Any, Any]]:
        held = getattr(self.local, "held", None)
        if held is None:
            connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            connection.execute(f"PRAGMA busy_timeout={READ_BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA query_only=ON")
            held = self.local.held = (connection, {})
            with self.lock:
                self.opened.append(connection)
        return held

    def close(self) -> None:
        with self.lock:
            opened, self.opened = self.opened, []
        for connection in opened:
            connection.close()
        self.local = threading.local()


_READ_CONNECTIONS: WeakKeyDictionary[Engine, _ReadConnections] = WeakKeyDictionary()


def _read_connections(engine: Engine) -> _ReadConnections:
    connections = _READ_CONNECTIONS.get(engine)
    if connections is None:
        connections = _READ_CONNECTIONS[engine] = _ReadConnections(engine)
        event.listen(engine, "engine_disposed", lambda _engine: connections.close())
    return connections


@asynccontextmanager
async def driver_reads(engine: AsyncEngine) -> AsyncIterator[DriverReads]:
    """Reads straight to `engine`'s database: a pooled asyncpg connection, or on SQLite the
    calling thread's read connection."""
    if engine.dialect.name == "sqlite":
        connection, info = _read_connections(engine.sync_engine).of_this_thread()
        yield _InlineSqliteReads(engine.sync_engine, connection, info)
        return
    # The pool's own checkout, not engine.connect(): no Connection object, and one crossing into
    # a greenlet (to open a connection, should the pool need one) instead of several.
    pooled = await greenlet_spawn(engine.sync_engine.raw_connection)
    try:
        yield _AsyncpgReads(engine.sync_engine, pooled.info, pooled.driver_connection)
    finally:
        # Back to the pool with no transaction to end, so no round trip. A read cancelled
        # mid-statement returns too: asyncpg cancels the statement before the next one runs.
        pooled.close()


async def reads_in_transaction(connection: AsyncConnection) -> DriverReads:
    """Reads straight to the driver of `connection`, inside its SQLAlchemy transaction."""
    raw = (await connection.get_raw_connection()).driver_connection
    if connection.dialect.name == "sqlite":
        return _AiosqliteReads(connection, raw)
    return _AsyncpgReads(connection.sync_engine, connection.info, raw)
