"""Sending the outbox: at least once, never lost, one sender per message at a time.

A sender claims due deliveries by writing its lease on them (PostgreSQL: FOR UPDATE SKIP
LOCKED, so processes never claim the same rows; SQLite: one writer at a time), sends each with
its signatures, and records the outcome only while its lease holds. A process killed mid-send
leaves a lease that runs out, and the delivery is sent again, with the same webhook-id, by
whichever process claims it next. 2xx ends a delivery; 410 disables the endpoint; anything else
is tried again on the backoff schedule, or after the receiver's Retry-After on 429 and 503.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx2
from sqlalchemy import Select, or_, select
from sqlmodel import col

from models.booking.locking import begin_write
from models.db import SessionFactory
from models.errors import InvalidInput
from models.live.hub import ChangeHub, Listener, Resync
from models.tables import WebhookDelivery, WebhookEndpoint
from models.timeutil import Clock
from models.webhooks import backoff
from models.webhooks.addresses import check_public
from models.webhooks.outcomes import Attempted, Outcome, record_outcomes
from models.webhooks.secrets import ServerKey
from models.webhooks.signing import signature_header

log = logging.getLogger("craftway.webhooks")
USER_AGENT = "Craftway-Webhooks/1.0"
RECORD_BATCH = 200  # outcomes written per transaction at most


@dataclass(frozen=True)
class SenderSettings:
    timeout_seconds: float = 15.0
    retry_scale: float = 1.0  # multiplies the backoff schedule (tests and benchmarks shorten it)
    allow_private: bool = False
    max_in_flight: int = 200  # per process
    max_in_flight_per_endpoint: int = 50  # a slow receiver cannot take every slot
    poll_seconds: float = 1.0

    @property
    def lease(self) -> timedelta:
        """Longer than any one attempt can take."""
        return timedelta(seconds=self.timeout_seconds + 10)


@dataclass(frozen=True)
class Claimed:
    delivery_id: int
    endpoint_id: int
    message_id: str
    payload: str
    url: str
    secrets: list[str]  # sealed
    attempts: int  # made before this one
    lease: str  # the claim's token: its outcome is written only while the row still carries it


def signing_secrets(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    """The sealed secrets that sign now: the current one, and for a day after a rotation the old one."""
    previous, until = endpoint.previous_secret, endpoint.previous_secret_until
    return [endpoint.secret, previous] if previous and until and until > now else [endpoint.secret]


@dataclass
class Sender:
    sessions: SessionFactory
    clock: Clock
    key: ServerKey
    client: httpx2.AsyncClient
    settings: SenderSettings = field(default_factory=SenderSettings)
    in_flight: set[asyncio.Task[None]] = field(default_factory=set)
    busy: Counter[int] = field(default_factory=Counter)  # endpoint id -> its deliveries in flight here
    outcomes: asyncio.Queue[Attempted] = field(default_factory=asyncio.Queue)  # sent, not yet written down

    def _due(self, now: datetime, limit: int) -> Select[WebhookDelivery, WebhookEndpoint]:
        """Due deliveries of enabled endpoints not already at their in-flight cap here."""
        cap = self.settings.max_in_flight_per_endpoint
        saturated = [endpoint for endpoint, count in self.busy.items() if count >= cap]
        return (
            select(WebhookDelivery, WebhookEndpoint)
            .join(WebhookEndpoint, col(WebhookEndpoint.id) == col(WebhookDelivery.endpoint_id))
            .where(
                col(WebhookDelivery.status) == "PENDING",
                col(WebhookDelivery.next_attempt_at) <= now,
                or_(col(WebhookDelivery.lease_until).is_(None), col(WebhookDelivery.lease_until) < now),
                col(WebhookEndpoint.enabled),
                col(WebhookDelivery.endpoint_id).not_in(saturated),
            )
            .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
            .limit(limit)
        )

    async def claim(self, limit: int) -> list[Claimed]:
        now = self.clock()
        async with self.sessions() as db:
            # A plain read first: a write transaction (on SQLite, the database's one write lock)
            # only when something is due.
            if (await db.execute(self._due(now, 1))).first() is None:
                return []
        async with self.sessions() as db:
            await begin_write(db)
            query = self._due(now, limit)
            if db.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True, of=WebhookDelivery)
            claimed: list[Claimed] = []
            lease = uuid.uuid4().hex  # this claim's own: a later claim of the same row gets another
            taking = Counter(self.busy)
            for delivery, endpoint in (await db.execute(query)).all():
                if taking[endpoint.pk] >= self.settings.max_in_flight_per_endpoint:
                    continue  # left unleased, for a later round or another process
                taking[endpoint.pk] += 1
                delivery.lease_owner, delivery.lease_until = lease, now + self.settings.lease
                sealed = signing_secrets(endpoint, now)
                claimed.append(
                    Claimed(
                        delivery.pk,
                        endpoint.pk,
                        delivery.message_id,
                        delivery.payload,
                        endpoint.url,
                        sealed,
                        delivery.attempts,
                        lease,
                    )
                )
            await db.commit()
        self.busy.update(item.endpoint_id for item in claimed)
        return claimed

    async def send(self, claimed: Claimed) -> Outcome:
        """One attempt, the address check included, within the timeout (so within the lease)."""
        try:
            async with asyncio.timeout(self.settings.timeout_seconds):
                return await self._send(claimed)
        except TimeoutError:
            return Outcome(error=f"no answer within {self.settings.timeout_seconds:g} s")

    async def _send(self, claimed: Claimed) -> Outcome:
        now = self.clock()
        try:
            await check_public(claimed.url, self.settings.allow_private)  # the address may have moved since
        except InvalidInput as refused:
            return Outcome(error=refused.message)
        timestamp = int(now.timestamp())
        secrets = [self.key.open(sealed) for sealed in claimed.secrets]
        headers = {
            "webhook-id": claimed.message_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": signature_header(secrets, claimed.message_id, timestamp, claimed.payload),
            "content-type": "application/json",
            "user-agent": USER_AGENT,
        }
        request = self.client.stream(
            "POST",
            claimed.url,
            content=claimed.payload.encode(),
            headers=headers,
            timeout=self.settings.timeout_seconds,
            follow_redirects=False,
        )
        try:
            async with request as response:  # the status and headers are the answer; the body is never read
                wait = None
                if response.status_code in (429, 503):
                    wait = backoff.retry_after(response.headers.get("retry-after"), self.clock())
                return Outcome(status_code=response.status_code, retry_after=wait)
        except httpx2.HTTPError as error:
            return Outcome(error=f"{type(error).__name__}: {error}"[:500])

    async def attempt(self, claimed: Claimed) -> None:
        """Send one claimed delivery and queue its outcome (its slot in `busy` was taken by `claim`)."""
        try:
            outcome = await self.send(claimed)
        except Exception as error:  # never let one message stop the sender
            log.exception("webhook delivery %s failed unexpectedly", claimed.message_id)
            outcome = Outcome(error=f"internal error: {type(error).__name__}")
        finally:
            self.busy[claimed.endpoint_id] -= 1
        attempted = Attempted(claimed.delivery_id, claimed.endpoint_id, claimed.attempts, claimed.lease, outcome)
        self.outcomes.put_nowait(attempted)

    async def record_forever(self) -> None:
        """Write outcomes as they come, many per transaction. Outcomes not yet written when the
        process dies are sent again once their lease runs out: at least once, never lost."""
        while True:
            batch = [await self.outcomes.get()]
            while not self.outcomes.empty() and len(batch) < RECORD_BATCH:
                batch.append(self.outcomes.get_nowait())
            async with self.sessions() as db:
                await begin_write(db)
                await record_outcomes(db, batch, self.clock(), self.settings.retry_scale)
                await db.commit()

    async def run(self, hub: ChangeHub) -> None:
        """Claim and send until cancelled; wakes on every committed change, and polls for retries."""
        recorder = asyncio.create_task(self.record_forever())
        try:
            await self._claim_and_send(hub, recorder)
        finally:
            recorder.cancel()

    async def _claim_and_send(self, hub: ChangeHub, recorder: asyncio.Task[None]) -> None:
        with hub.listen() as listener:
            while not recorder.done():
                free = self.settings.max_in_flight - len(self.in_flight)
                claimed = await self.claim(free) if free > 0 else []
                for item in claimed:
                    task = asyncio.create_task(self.attempt(item))
                    self.in_flight.add(task)
                    task.add_done_callback(self.in_flight.discard)
                if claimed and len(claimed) == free:
                    await asyncio.sleep(0)  # there may be more due: claim again once these are on their way
                    continue
                await _next_wake(listener, self.settings.poll_seconds)
            recorder.result()  # it stopped: raise its error, and `every` starts the sender again


async def _next_wake(listener: Listener, seconds: float) -> None:
    """Until a committed change wrote deliveries (or changes may have been missed), or `seconds`
    pass: retries fall due with no change, and other processes' deliveries may be left over."""
    deadline = asyncio.get_running_loop().time() + seconds
    while (left := deadline - asyncio.get_running_loop().time()) > 0:
        try:
            batch = await asyncio.wait_for(listener.next_batch(), left)
        except TimeoutError:
            return
        if isinstance(batch, Resync) or any(change.outbox for change in batch):
            return
