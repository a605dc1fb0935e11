"""Changes committed by any server process, heard through PostgreSQL LISTEN and published to
this process's hub. When the listening connection drops, it reconnects (with a growing pause)
and sends RESYNC, since NOTIFYs sent while it was away are lost to it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from models.live.emit import CHANNEL, parse_notify_payload
from models.live.hub import ChangeHub

log = logging.getLogger("craftway.live")
# How often the connection is checked when no notification comes (a silently dead TCP link).
PROBE_SECONDS = 5.0
MAX_PAUSE_SECONDS = 5.0


def asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def listen(url: str, hub: ChangeHub, connected: asyncio.Event | None = None) -> None:
    """Run until cancelled; `connected` is set whenever a LISTEN is in place."""
    pause = 0.2
    while True:
        conn: Any = None
        try:
            conn = await asyncpg.connect(asyncpg_dsn(url), timeout=10)
            await _follow(conn, hub, connected)
            pause = 0.2
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as error:
            log.warning("change feed connection lost (%s); reconnecting", error)
        finally:
            if connected is not None:
                connected.clear()
            if conn is not None:
                with contextlib.suppress(Exception):
                    await conn.close(timeout=2)
        await asyncio.sleep(pause)
        pause = min(pause * 2, MAX_PAUSE_SECONDS)


async def _follow(conn: Any, hub: ChangeHub, connected: asyncio.Event | None) -> None:
    """Listen on `conn` until it is lost. Each new LISTEN sends RESYNC: whatever was committed
    while no connection listened (or before this one) is re-read by the subscribers."""
    lost = asyncio.Event()
    conn.add_termination_listener(lambda _conn: lost.set())

    def heard(_conn: object, _pid: int, _channel: str, payload: str) -> None:
        hub.publish(parse_notify_payload(payload))

    await conn.add_listener(CHANNEL, heard)
    log.info("change feed listening; subscribers re-read what they follow")
    hub.resync()
    if connected is not None:
        connected.set()
    while not lost.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(lost.wait(), PROBE_SECONDS)
        if not lost.is_set():
            await conn.fetchval("SELECT 1", timeout=PROBE_SECONDS)
