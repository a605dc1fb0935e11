"""An engine closes only after the threads of the aiosqlite connections it stopped have ended."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

from models.db import create_engine
from models.engine_shutdown import close_engine


def test_a_connection_stopped_without_waiting_has_finished_before_the_loop_closes(tmp_path: Path) -> None:
    thread_errors: list[BaseException | None] = []
    previous_hook = threading.excepthook
    threading.excepthook = lambda args: thread_errors.append(args.exc_value)

    async def stop_a_busy_connection_and_close() -> threading.Thread:
        engine = create_engine(f"sqlite:///{tmp_path / 'shutdown.db'}")
        async with engine.connect() as connection:
            pooled = await connection.get_raw_connection()
            driver = pooled.driver_connection
            driver._tx.put_nowait((None, lambda: time.sleep(0.3)))  # a statement still running in its thread
            # Outside a greenlet SQLAlchemy terminates without waiting, as when it finalizes a
            # connection that was collected unreturned.
            pooled.invalidate()
            assert driver._thread.is_alive()
        await close_engine(engine)
        return driver._thread

    try:
        thread = asyncio.run(stop_a_busy_connection_and_close())
        alive_when_the_loop_closed = thread.is_alive()
        thread.join(timeout=5)
    finally:
        threading.excepthook = previous_hook
    assert not alive_when_the_loop_closed
    assert thread_errors == []
