"""Closing an engine without leaving aiosqlite's threads to answer a closed event loop.

aiosqlite runs each connection in a thread of its own, which hands every result back to the
event loop that asked for it. SQLAlchemy stops some connections without waiting for the thread:
one it invalidates outside a greenlet, or one it finalizes because it was collected unreturned.
Such a thread finishes its queue later, and if the loop has closed by then it dies with "Event
loop is closed" (a test run reports that as an error; a server logs it on the way out).
`close_engine` disposes of the pool and then waits, with the loop still running, for the threads
of the connections that were stopped.
"""

from __future__ import annotations

import asyncio
from typing import Any
from weakref import WeakKeyDictionary, WeakSet

from sqlalchemy import Engine, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import ConnectionPoolEntry

THREAD_WAIT_SECONDS = 5.0  # one statement's worth at most; a thread still busy after it is left

_CONNECTIONS: WeakKeyDictionary[Engine, WeakSet[Any]] = WeakKeyDictionary()


def track_driver_threads(engine: AsyncEngine) -> None:
    """Remember every aiosqlite connection `engine` opens (call once, on a SQLite engine)."""
    opened: WeakSet[Any] = WeakSet()
    _CONNECTIONS[engine.sync_engine] = opened

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        opened.add(dbapi_connection.driver_connection)  # type: ignore[attr-defined]


async def close_engine(engine: AsyncEngine) -> None:
    """Dispose of `engine`'s pool and wait for the threads of its stopped connections."""
    await engine.dispose()
    threads = [
        connection._thread  # aiosqlite keeps no public handle on its thread
        for connection in list(_CONNECTIONS.get(engine.sync_engine, ()))
        if not connection._running  # stopped; a connection still in use is its user's to close
    ]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + THREAD_WAIT_SECONDS
    while any(thread.is_alive() for thread in threads) and loop.time() < deadline:
        await asyncio.sleep(0.005)  # the loop keeps running, so the threads' answers land
