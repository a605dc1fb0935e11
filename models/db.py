"""Engines and session factories for the embedded SQLite default and for PostgreSQL.

Users give a plain URL (`sqlite:///craftway.db`, `postgresql://user@host/db`); we pick the async
driver. SQLite gets WAL, a busy timeout and explicit BEGINs so that a write unit of work can ask
for `BEGIN IMMEDIATE` and serialise with other writers from the start instead of failing late.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import orjson
from sqlalchemy import Connection, event
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

from models.engine_shutdown import track_driver_threads

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{REPO_ROOT / 'craftway.db'}"

# Execution option a write unit of work sets on its connection; see `write_session`.
WRITE_OPTION = "craftway_write"
SQLITE_BUSY_TIMEOUT_MS = 30_000

# Prepared statements keep one generic plan instead of being planned again at every execution.
# Craftway's statements look rows up by keys and indexed ranges, so their best plan does not
# depend on the values bound; but PostgreSQL's default ("auto") compares a generic plan, which
# must guess that `LIMIT $1` keeps a tenth of a table, with custom plans that know it keeps 21
# rows, and on a large catalogue keeps planning each execution of a planned read anew: 1 ms for
# the tour list and 5 ms for a near-me search on 1,000 tours, for the same plan every time.
POSTGRES_SETTINGS = {"plan_cache_mode": "force_generic_plan"}


def async_url(url: str) -> str:
    """Map a user's database URL onto the async driver Craftway uses for it."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return parsed.set(drivername="sqlite+aiosqlite").render_as_string(hide_password=False)
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    raise ValueError(f"unsupported DATABASE_URL {url!r}: use sqlite:///path.db or postgresql://...")


def create_engine(url: str, *, pool_size: int = 20) -> AsyncEngine:
    target = async_url(url)
    if make_url(target).get_backend_name() == "sqlite":
        engine = create_async_engine(target, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        track_driver_threads(engine)
        return engine
    # orjson reads the json values the database builds (the planner's answers) several times faster.
    # No overflow: the pool closes an overflow connection as soon as it is returned, so under
    # load every burst above pool_size forked new server backends (15% of a hot read's CPU went
    # into connecting); the same 20 connections at most are kept open instead.
    engine = create_async_engine(
        target,
        pool_size=pool_size,
        max_overflow=0,
        json_deserializer=orjson.loads,
        connect_args={"server_settings": POSTGRES_SETTINGS},
    )
    _check_liveness_on_checkout(engine)
    return engine


def _check_liveness_on_checkout(engine: AsyncEngine) -> None:
    """Hand out no connection the server has closed (a restart, a terminated backend): asyncpg
    marks a connection closed as soon as its socket ends, so the check costs no round trip,
    where SQLAlchemy's pool_pre_ping spends three (BEGIN, a ping, ROLLBACK) on every checkout.
    The pool replaces a refused connection with a new one."""

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry, _proxy: object) -> None:
        if dbapi_connection.driver_connection.is_closed():  # type: ignore[attr-defined]
            raise DisconnectionError("the server has closed this connection")


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy's "begin" event below decide how each transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


# What opens a database session: an `async_sessionmaker`, or anything called the same way (the
# planner hands out one session for a whole read, see resolvers/planner/run.py).
SessionFactory = Callable[[], AbstractAsyncContextManager[AsyncSession]]


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def write_connection_options(session: AsyncSession) -> None:
    """Start `session`'s transaction as a write transaction (BEGIN IMMEDIATE on SQLite)."""
    await session.connection(execution_options={WRITE_OPTION: True})
