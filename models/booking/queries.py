"""Reading an operator's bookings. A HELD booking past its hold reads as EXPIRED by time alone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.booking.reference import normalise_reference
from models.tables import Booking


def effective_status(booking: Booking, now: datetime) -> str:
    if booking.status == "HELD" and booking.hold_expires_at is not None and booking.hold_expires_at <= now:
        return "EXPIRED"
    return booking.status


def _status_condition(status: str, now: datetime) -> ColumnElement[bool]:
    held = Booking.status == "HELD"
    lapsed = and_(held, Booking.hold_expires_at <= now)  # type: ignore[operator]
    if status == "HELD":
        return and_(held, Booking.hold_expires_at > now)  # type: ignore[operator]
    if status == "EXPIRED":
        return or_(Booking.status == "EXPIRED", lapsed)
    return Booking.status == status


def _conditions(principal_id: int, status: str | None, now: datetime) -> list[ColumnElement[bool]]:
    conditions = [Booking.principal_id == principal_id]
    if status is not None:
        conditions.append(_status_condition(status, now))
    return conditions  # type: ignore[return-value]


async def bookings_of(
    db: AsyncSession, principal_id: int, status: str | None, now: datetime, offset: int, limit: int
) -> list[Booking]:
    """Newest first."""
    query = (
        select(Booking)
        .where(*_conditions(principal_id, status, now))
        .order_by(Booking.created_at.desc(), Booking.id.desc())  # type: ignore[attr-defined]
        .offset(offset)
        .limit(limit)
    )
    return list((await db.execute(query)).scalars())


async def count_bookings_of(db: AsyncSession, principal_id: int, status: str | None, now: datetime) -> int:
    query = select(func.count()).select_from(Booking).where(*_conditions(principal_id, status, now))
    return (await db.execute(query)).scalar_one()


async def owned_booking(db: AsyncSession, principal_id: int, reference: str) -> Booking | None:
    query = select(Booking).where(
        Booking.reference == normalise_reference(reference), Booking.principal_id == principal_id
    )
    return (await db.execute(query)).scalar_one_or_none()


async def owned_booking_by_id(db: AsyncSession, principal_id: int, booking_id: int) -> Booking | None:
    query = select(Booking).where(Booking.id == booking_id, Booking.principal_id == principal_id)
    return (await db.execute(query)).scalar_one_or_none()
