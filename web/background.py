"""The app's background work, started in its lifespan and stopped with it: the cross-process
change feed (PostgreSQL), the hold-expiry and waiting-list sweeps and the webhook sender. Each
is a plain domain function run in a loop that logs its failures and keeps going."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime

import httpx2
from sqlalchemy.ext.asyncio import AsyncEngine

from models.booking.expiry import expire_lapsed_holds
from models.db import SessionFactory
from models.live.hub import ChangeHub
from models.live.postgres_feed import listen
from models.timeutil import Clock
from models.waitlist.closing import close_lapsed_waitlists
from models.webhooks.outcomes import fail_stranded
from models.webhooks.setup import WebhookSetup
from models.webhooks.worker import USER_AGENT, Sender

log = logging.getLogger("craftway.background")


STOP_SECONDS = 10.0


async def time_passes(sessions: SessionFactory, now: datetime) -> None:
    """What time alone changes: lapsed holds expire (their seats go to waiting lists first), and
    waiting lists of sessions whose booking has closed close."""
    await expire_lapsed_holds(sessions, now)
    await close_lapsed_waitlists(sessions, now)


async def every(seconds: float, job: Callable[[], Awaitable[object]], name: str) -> None:
    while True:
        try:
            await job()
        except Exception:  # a failed round is logged; the next one tries again
            log.exception("background job %s failed", name)
        await asyncio.sleep(seconds)


@contextlib.asynccontextmanager
async def background_work(
    engine: AsyncEngine,
    sessions: SessionFactory,
    clock: Clock,
    hub: ChangeHub,
    webhooks: WebhookSetup,
    *,
    expiry_seconds: float = 1.0,
) -> AsyncIterator[None]:
    tasks: list[asyncio.Task[None]] = []
    most = webhooks.sender.max_in_flight
    connections = httpx2.Limits(max_connections=most, max_keepalive_connections=most)
    # trust_env=False: no proxy or netrc from the environment comes between Craftway and a receiver.
    client = httpx2.AsyncClient(headers={"user-agent": USER_AGENT}, limits=connections, trust_env=False)
    async with client:
        sender = Sender(sessions, clock, webhooks.key, client, webhooks.sender)
        if engine.dialect.name == "postgresql":
            feed_url = engine.url.render_as_string(hide_password=False)
            tasks.append(
                asyncio.create_task(every(1.0, lambda: listen(feed_url, hub), "change feed"), name="change feed")
            )
        sweep = every(expiry_seconds, lambda: time_passes(sessions, clock()), "expiry")
        tasks.append(asyncio.create_task(sweep, name="expiry"))
        # sender.run only returns by failing: `every` logs that and starts it again.
        tasks.append(
            asyncio.create_task(
                every(webhooks.sender.poll_seconds, lambda: sender.run(hub), "webhooks"), name="webhooks"
            )
        )
        tasks.append(
            asyncio.create_task(every(10.0, lambda: fail_stranded(sessions), "stranded deliveries"), name="stranded")
        )
        try:
            yield
        finally:
            await _stop([*tasks, *sender.in_flight])


async def _stop(tasks: list[asyncio.Task[None]]) -> None:
    """Cancel the tasks and wait for them, but never forever: a task that does not end within
    STOP_SECONDS is logged and left, so that shutdown (and the drain before it) completes."""
    for task in tasks:
        task.cancel()
    if not tasks:
        return
    _done, stuck = await asyncio.wait(tasks, timeout=STOP_SECONDS)
    for task in stuck:
        log.error("background task %s did not stop within %s s of its cancellation", task.get_name(), STOP_SECONDS)
