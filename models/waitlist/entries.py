"""Reading an operator's waiting-list entries. As with holds, time alone moves some of them: a
WAITING entry of a session whose booking has closed reads CLOSED, and an OFFERED entry whose
offer has lapsed reads EXPIRED, before the sweeps store that."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Row, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from models.tables import Booking, TourSession, WaitlistEntry


@dataclass(frozen=True, slots=True)
class EntryView:
    """An entry as its operator sees it now."""

    row: WaitlistEntry
    status: str
    position: int | None  # 1-based among the session's WAITING entries; None unless WAITING


def _open(now: datetime) -> ColumnElement[bool]:
    return and_(col(TourSession.status) == "SCHEDULED", col(TourSession.booking_closes_at) > now)


def _lapsed(now: datetime) -> ColumnElement[bool]:
    return col(Booking.hold_expires_at) <= now


def _status_condition(status: str, now: datetime) -> ColumnElement[bool]:
    stored = col(WaitlistEntry.status)
    if status == "WAITING":
        return and_(stored == "WAITING", _open(now))
    if status == "CLOSED":
        return or_(stored == "CLOSED", and_(stored == "WAITING", ~_open(now)))
    if status == "OFFERED":
        return and_(stored == "OFFERED", ~_lapsed(now))
    if status == "EXPIRED":
        return or_(stored == "EXPIRED", and_(stored == "OFFERED", _lapsed(now)))
    return stored == status


def _effective(stored: str, is_open: bool, lapsed: bool) -> str:
    if stored == "WAITING" and not is_open:
        return "CLOSED"
    if stored == "OFFERED" and lapsed:
        return "EXPIRED"
    return stored


def _position() -> ColumnElement[int]:
    ahead = aliased(WaitlistEntry)
    return (
        select(func.count())
        .where(
            col(ahead.session_id) == col(WaitlistEntry.session_id),
            col(ahead.status) == "WAITING",
            col(ahead.id) <= col(WaitlistEntry.id),
        )
        .scalar_subquery()
    )


def _select(now: datetime) -> Select[WaitlistEntry, bool, bool, int]:
    return (
        select(WaitlistEntry, _open(now).label("is_open"), _lapsed(now).label("lapsed"), _position().label("position"))
        .join(TourSession, col(TourSession.id) == col(WaitlistEntry.session_id))
        .outerjoin(Booking, col(Booking.id) == col(WaitlistEntry.offer_booking_id))
    )


def _views(rows: Sequence[Row[WaitlistEntry, bool, bool, int]]) -> list[EntryView]:
    views = []
    for entry, is_open, lapsed, position in rows:
        status = _effective(entry.status, bool(is_open), bool(lapsed))
        views.append(EntryView(entry, status, int(position) if status == "WAITING" else None))
    return views


def _conditions(principal_id: int, status: str | None, now: datetime) -> list[ColumnElement[bool]]:
    conditions = [col(WaitlistEntry.principal_id) == principal_id]
    if status is not None:
        conditions.append(_status_condition(status, now))
    return conditions


async def entries_of(
    db: AsyncSession, principal_id: int, status: str | None, now: datetime, offset: int, limit: int
) -> list[EntryView]:
    """The operator's entries, newest first."""
    query = (
        _select(now)
        .where(*_conditions(principal_id, status, now))
        .order_by(col(WaitlistEntry.created_at).desc(), col(WaitlistEntry.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return _views((await db.execute(query)).all())


async def count_entries_of(db: AsyncSession, principal_id: int, status: str | None, now: datetime) -> int:
    query = (
        select(func.count())
        .select_from(WaitlistEntry)
        .join(TourSession, col(TourSession.id) == col(WaitlistEntry.session_id))
        .outerjoin(Booking, col(Booking.id) == col(WaitlistEntry.offer_booking_id))
        .where(*_conditions(principal_id, status, now))
    )
    return (await db.execute(query)).scalar_one()


async def owned_entry_view(db: AsyncSession, principal_id: int, entry_id: int, now: datetime) -> EntryView | None:
    query = _select(now).where(col(WaitlistEntry.id) == entry_id, col(WaitlistEntry.principal_id) == principal_id)
    found = _views((await db.execute(query)).all())
    return found[0] if found else None
