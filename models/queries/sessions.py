"""Sessions as readers see them: with seats left and booking cut-off, batched per tour."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.queries.availability import lapsed_hold_seats, seats_available
from models.tables import TourSession
from models.tables.core import core_table

S = core_table(TourSession).c


@dataclass(frozen=True, slots=True)
class SessionView:
    id: int
    tour_id: int
    starts_at: datetime
    ends_at: datetime
    capacity: int
    seats_taken: int
    seats_available: int
    status: str
    booking_closes_at: datetime
    uid: str
    sequence: int
    version: int  # rises with every committed change, seats included
    updated_at: datetime
    cancel_reason: str | None
    waitlist_length: int  # WAITING entries as stored

    def waiting(self, now: datetime) -> int:
        """WAITING entries now: none once booking has closed (before the sweep stores that)."""
        if self.status == "CANCELLED" or now >= self.booking_closes_at:
            return 0
        return self.waitlist_length

    def availability(self, now: datetime) -> str:
        if self.status == "CANCELLED" or now >= self.booking_closes_at:
            return "CLOSED"
        if self.seats_available <= 0:
            return "SOLD_OUT"
        if self.seats_available * 2 < self.capacity:
            return "LIMITED"
        return "AVAILABLE"


@dataclass(frozen=True, slots=True)
class SessionWindow:
    """Which sessions of a tour a reader asks for."""

    starts_after: datetime | None = None
    starts_before: datetime | None = None
    only_available: bool = False
    min_seats: int | None = None


def _columns(now: datetime) -> Select[*tuple[Any, ...]]:
    return select(
        S.id,
        S.tour_id,
        S.starts_at,
        S.ends_at,
        S.capacity,
        S.seats_taken,
        seats_available(now).label("seats_available"),
        S.status,
        S.booking_closes_at,
        S.uid,
        S.sequence,
        S.version,
        S.updated_at,
        S.cancel_reason,
        S.waitlist_length,
    )


def window_conditions(window: SessionWindow, now: datetime) -> list[ColumnElement[bool]]:
    """Conditions on tour_session rows for `window` (also used by the tour filter)."""
    conditions = []
    if window.starts_after is not None:
        conditions.append(S.starts_at > window.starts_after)
    if window.starts_before is not None:
        conditions.append(S.starts_at < window.starts_before)
    if window.only_available or window.min_seats is not None:
        conditions.append(S.status == "SCHEDULED")
        conditions.append(S.booking_closes_at > now)
        conditions.append(seats_available(now) >= max(1, window.min_seats or 1))
    return conditions


def _view(row: Row[*tuple[Any, ...]]) -> SessionView:
    return SessionView(
        id=row.id,
        tour_id=row.tour_id,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        capacity=row.capacity,
        seats_taken=row.seats_taken,
        seats_available=max(0, row.seats_available),
        status=row.status,
        booking_closes_at=row.booking_closes_at,
        uid=row.uid,
        sequence=row.sequence,
        version=row.version,
        updated_at=row.updated_at,
        cancel_reason=row.cancel_reason,
        waitlist_length=row.waitlist_length,
    )


async def sessions_by_id(db: AsyncSession, ids: Sequence[int], now: datetime) -> dict[int, SessionView]:
    rows = await db.execute(_columns(now).where(S.id.in_(ids)))
    return {row.id: _view(row) for row in rows}


async def sessions_starting_between(
    db: AsyncSession, tour_id: int, start: datetime, end: datetime, now: datetime
) -> list[SessionView]:
    """The tour's sessions starting in [start, end), soonest first: one statement, however many."""
    query = _columns(now).where(S.tour_id == tour_id, S.starts_at >= start, S.starts_at < end)
    return [_view(row) for row in await db.execute(query.order_by(S.starts_at, S.id))]


async def sessions_of_tours(
    db: AsyncSession,
    tour_ids: Iterable[int],
    window: SessionWindow,
    now: datetime,
    offset: int,
    limit: int,
) -> dict[int, list[SessionView]]:
    """Per tour: the page [offset, offset+limit) of its sessions in `window`, soonest first.

    One statement for any number of tours: a window function numbers each tour's sessions, and
    seats are worked out in the outer query, for the rows of the page only (not for every session
    in the window, which on a large catalogue is hundreds of correlated subqueries per tour).
    """
    numbered = (
        select(
            S.id,
            S.tour_id,
            S.starts_at,
            S.ends_at,
            S.capacity,
            S.seats_taken,
            S.status,
            S.booking_closes_at,
            S.uid,
            S.sequence,
            S.version,
            S.updated_at,
            S.cancel_reason,
            S.waitlist_length,
            func.row_number().over(partition_by=S.tour_id, order_by=(S.starts_at, S.id)).label("position"),
        )
        .where(S.tour_id.in_(list(tour_ids)), *window_conditions(window, now))
        .subquery()
    )
    free = numbered.c.capacity - numbered.c.seats_taken + lapsed_hold_seats(numbered.c.id, now)
    query = (
        select(numbered, free.label("seats_available"))
        .where(numbered.c.position > offset, numbered.c.position <= offset + limit)
        .order_by(numbered.c.tour_id, numbered.c.position)
    )
    pages: dict[int, list[SessionView]] = {}
    for row in await db.execute(query):
        pages.setdefault(row.tour_id, []).append(_view(row))
    return pages


async def session_counts(
    db: AsyncSession, tour_ids: Iterable[int], window: SessionWindow, now: datetime
) -> dict[int, int]:
    query = (
        select(S.tour_id, func.count())
        .where(S.tour_id.in_(list(tour_ids)), *window_conditions(window, now))
        .group_by(S.tour_id)
    )
    return {tour_id: count for tour_id, count in await db.execute(query)}
