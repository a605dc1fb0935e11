"""Writing down how delivery attempts went, many in one transaction.

Each row is updated only while it still carries the lease token of the claim that sent it (and
is PENDING): an attempt whose lease ran out and was claimed again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.booking.locking import begin_write
from models.db import SessionFactory
from models.tables import WebhookDelivery, WebhookEndpoint
from models.tables.core import core_table
from models.webhooks import backoff

D = core_table(WebhookDelivery)
E = core_table(WebhookEndpoint)
ENDED: dict[str, Any] = {"next_attempt_at": None, "lease_owner": None, "lease_until": None}  # no more attempts


@dataclass(frozen=True)
class Outcome:
    status_code: int | None = None
    error: str | None = None
    retry_after: timedelta | None = None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass(frozen=True)
class Attempted:
    delivery_id: int
    endpoint_id: int
    attempts_before: int
    lease: str  # the token of the claim that sent it
    outcome: Outcome


def _next(item: Attempted, now: datetime, retry_scale: float) -> dict[str, Any]:
    """The new state of a delivery after its attempt."""
    outcome, attempts = item.outcome, item.attempts_before + 1
    state: dict[str, Any] = {
        "b_id": item.delivery_id,
        "b_lease": item.lease,
        "attempts": attempts,
        "last_status_code": outcome.status_code,
        "last_error": outcome.error,
        "status": "PENDING",
        "next_attempt_at": None,
        "delivered_at": None,
    }
    if outcome.delivered:
        state.update(status="DELIVERED", delivered_at=now)
        return state
    wait = backoff.next_wait(attempts, retry_scale)
    if wait is None:
        state["status"] = "FAILED"
    else:
        state["next_attempt_at"] = now + (outcome.retry_after or wait)
    return state


async def record_outcomes(db: AsyncSession, attempted: list[Attempted], now: datetime, retry_scale: float) -> None:
    """Apply every attempt's outcome; 410 Gone disables its endpoint (the caller commits)."""
    gone = [item for item in attempted if item.outcome.status_code == 410]
    rows = [_next(item, now, retry_scale) for item in attempted if item.outcome.status_code != 410]
    if rows:
        statement = (
            update(D)
            .where(D.c.id == bindparam("b_id"), D.c.lease_owner == bindparam("b_lease"), D.c.status == "PENDING")
            .values(
                attempts=bindparam("attempts"),
                last_status_code=bindparam("last_status_code"),
                last_error=bindparam("last_error"),
                status=bindparam("status"),
                next_attempt_at=bindparam("next_attempt_at"),
                delivered_at=bindparam("delivered_at"),
                lease_owner=None,
                lease_until=None,
            )
        )
        await db.execute(statement, rows)
    for item in gone:
        await db.execute(
            update(D)
            .where(D.c.id == item.delivery_id, D.c.lease_owner == item.lease)
            .values(attempts=item.attempts_before + 1, last_status_code=410)
        )
    for endpoint_id in sorted({item.endpoint_id for item in gone}):
        await disable(db, endpoint_id, now)


async def disable(db: AsyncSession, endpoint_id: int, now: datetime) -> None:
    """410 Gone: the receiver is no more. Its endpoint stops, and its pending deliveries end FAILED."""
    reason = f"the receiver answered 410 Gone at {now.isoformat()}"
    await db.execute(update(E).where(E.c.id == endpoint_id).values(enabled=False, disabled_reason=reason[:200]))
    await db.execute(
        update(D)
        .where(D.c.endpoint_id == endpoint_id, D.c.status == "PENDING")
        .values(status="FAILED", last_error="endpoint disabled (410 Gone)", **ENDED)
    )


async def fail_stranded(sessions: SessionFactory) -> int:
    """End the PENDING deliveries of disabled or deleted endpoints: a change that read its
    endpoint as enabled can commit its delivery just after the endpoint stopped. FAILED, they
    show and can be redelivered; how many."""
    stranded = select(E.c.id).where(E.c.enabled.is_(False))
    async with sessions() as db:
        found = await db.execute(select(D.c.id).where(D.c.status == "PENDING", D.c.endpoint_id.in_(stranded)).limit(1))
        if found.first() is None:  # a plain read first; a write transaction only when needed
            return 0
    async with sessions() as db:
        await begin_write(db)
        result = await db.execute(
            update(D)
            .where(D.c.status == "PENDING", D.c.endpoint_id.in_(stranded))
            .values(status="FAILED", last_error="endpoint disabled", **ENDED)
        )
        await db.commit()
    return int(getattr(result, "rowcount", 0))
