"""Announcing a write transaction's changes, just before it commits and inside it.

In that one transaction: every changed session's `version` rises, the webhook outbox gets its
deliveries (of bookings, sessions and waiting-list entries), and on PostgreSQL a NOTIFY goes
out, which the database delivers to listening processes only if the transaction commits. So an
event exists exactly when its change does.
On SQLite (one process) the caller publishes the returned changes in process after the commit.
"""

from __future__ import annotations

import json
from typing import TypeVar

from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

from models.live.changes import take_pending
from models.live.hub import Change
from models.tables import Booking, Tour, TourSession, WaitlistEntry
from models.tables.core import core_table
from models.webhooks.outbox import Facts, enqueue

CHANNEL = "craftway_changes"
# PostgreSQL refuses NOTIFY payloads of 8000 bytes or more: longer lists go in several.
MAX_NOTIFY_BYTES = 7000

Row = TypeVar("Row", bound=SQLModel)
SESSIONS = core_table(TourSession)
S = SESSIONS.c


async def announce(db: AsyncSession) -> list[Change]:
    """Record and send what this transaction changed; the changes, for in-process subscribers."""
    pending = take_pending(db)
    if pending is None:
        return []
    await db.flush()
    session_ids = sorted(pending.sessions)
    await db.execute(update(SESSIONS).where(S.id.in_(session_ids)).values(version=S.version + 1))
    # The bookings and tours are mostly in the session already (the write just used them): `get`
    # reads them from there without a statement.
    bookings = {pk: await _get(db, Booking, pk) for pk in pending.bookings}
    entries = {pk: await _get(db, WaitlistEntry, pk) for pk, events in pending.entries.items() if events}
    for entry in entries.values():  # an offer's booking goes in its payload
        if entry.offer_booking_id is not None and entry.offer_booking_id not in bookings:
            bookings[entry.offer_booking_id] = await _get(db, Booking, entry.offer_booking_id)
    tour_ids = {pk: (await _get(db, TourSession, pk)).tour_id for pk in session_ids}
    tours = {pk: await _get(db, Tour, pk) for pk in sorted(set(tour_ids.values()))}
    facts = Facts(pending.now, {sid: tours[tid] for sid, tid in tour_ids.items()}, bookings, entries)
    written = await enqueue(db, facts, pending.sessions, pending.bookings, pending.entries)
    changes = [Change(sid, tour_ids[sid], outbox=written > 0) for sid in session_ids]
    changes += [
        Change(b.session_id, tour_ids[b.session_id], b.pk, b.principal_id)
        for b in bookings.values()
        if b.pk in pending.bookings
    ]
    if db.get_bind().dialect.name == "postgresql":
        for payload in notify_payloads(changes):
            await db.execute(text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": payload})
    return changes


async def _get(db: AsyncSession, model: type[Row], pk: int) -> Row:
    row = await db.get(model, pk)
    if row is None:
        raise RuntimeError(f"{model.__name__} {pk} changed in this transaction but is not there")
    return row


def notify_payloads(changes: list[Change]) -> list[str]:
    """The changes as compact JSON arrays, each under PostgreSQL's NOTIFY limit."""
    payloads: list[str] = []
    chunk: list[list[int | None]] = []
    size = 2
    for change in changes:
        item = [change.session_id, change.tour_id, change.booking_id, change.principal_id, int(change.outbox)]
        item_size = len(json.dumps(item)) + 1
        if chunk and size + item_size > MAX_NOTIFY_BYTES:
            payloads.append(json.dumps(chunk, separators=(",", ":")))
            chunk, size = [], 2
        chunk.append(item)
        size += item_size
    if chunk:
        payloads.append(json.dumps(chunk, separators=(",", ":")))
    return payloads


def parse_notify_payload(payload: str) -> list[Change]:
    return [Change(s, t, b, p, bool(o)) for s, t, b, p, o in json.loads(payload)]
