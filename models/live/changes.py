"""What a write transaction changed, noted as it goes (`note_*`) and read once as it commits
(`take_pending`). Kept on the database session itself, so every write path that changes a
booking or a session reports it without passing anything around."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

_KEY = "craftway_pending_changes"

# A booking's new status -> the event that reports it.
BOOKING_EVENTS = {
    "HELD": "BOOKING_HELD",
    "CONFIRMED": "BOOKING_CONFIRMED",
    "CANCELLED": "BOOKING_CANCELLED",
    "EXPIRED": "BOOKING_EXPIRED",
}


@dataclass
class Pending:
    now: datetime
    # session id -> webhook events about it (empty: its seats or times changed with no event)
    sessions: dict[int, list[str]] = field(default_factory=dict)
    # booking id -> webhook events about it, in order
    bookings: dict[int, list[str]] = field(default_factory=dict)
    # waiting-list entry id -> webhook events about it (empty: it changed with no event)
    entries: dict[int, list[str]] = field(default_factory=dict)


def _pending(db: AsyncSession, now: datetime) -> Pending:
    pending: Pending | None = db.info.get(_KEY)
    if pending is None:
        pending = db.info[_KEY] = Pending(now)
    pending.now = max(pending.now, now)
    return pending


def note_session(db: AsyncSession, session_id: int, now: datetime, event: str | None = None) -> None:
    """The session changed (seats, capacity, times or status); `event` is its webhook event, if any."""
    events = _pending(db, now).sessions.setdefault(session_id, [])
    if event is not None and event not in events:
        events.append(event)


def note_booking(db: AsyncSession, booking_id: int, session_id: int, status: str, now: datetime) -> None:
    """The booking moved to `status` (its session's seats moved with it)."""
    _pending(db, now).bookings.setdefault(booking_id, []).append(BOOKING_EVENTS[status])
    note_session(db, session_id, now)


def note_waitlist(db: AsyncSession, entry_id: int, session_id: int, now: datetime, event: str | None) -> None:
    """The waiting-list entry changed (so did its session's waiting list); `event` is its webhook event."""
    events = _pending(db, now).entries.setdefault(entry_id, [])
    if event is not None:
        events.append(event)
    note_session(db, session_id, now)


def take_pending(db: AsyncSession) -> Pending | None:
    """The changes noted since the last call, and forget them (a transaction announces once)."""
    pending: Pending | None = db.info.pop(_KEY, None)
    return pending
