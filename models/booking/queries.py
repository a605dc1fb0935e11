"""Reading an operator's bookings. A HELD booking past its hold reads as EXPIRED by time alone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.booking.reference import MAX_REFERENCE_INPUT_LENGTH, normalise_reference
from models.tables import Booking


def effective_status(booking: Booking, now: datetime) -> str:
    if booking.status == "HELD" and booking.hold_expires_at is not None and booking.hold_expires_at <= now:
        return "EXPIRED"
    return booking.status


def _status_condition(status: str, now: datetime) -> ColumnElement[bool]:
    held = col(Booking.status) == "HELD"
    lapsed = and_(held, col(Booking.hold_expires_at) <= now)
    if status == "HELD":
        return and_(held, col(Booking.hold_expires_at) > now)
    if status == "EXPIRED":
        return or_(col(Booking.status) == "EXPIRED", lapsed)
    return col(Booking.status) == status


def _conditions(principal_id: int, status: str | None, now: datetime) -> list[ColumnElement[bool]]:
    conditions = [col(Booking.principal_id) == principal_id]
    if status is not None:
        conditions.append(_status_condition(status, now))
    return conditions


async def bookings_of(
    db: AsyncSession, principal_id: int, status: str | None, now: datetime, offset: int, limit: int
) -> list[Booking]:
    """Newest first."""
    query = (
        select(Booking)
        .where(*_conditions(principal_id, status, now))
        .order_by(col(Booking.created_at).desc(), col(Booking.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return list((await db.execute(query)).scalars())


async def count_bookings_of(db: AsyncSession, principal_id: int, status: str | None, now: datetime) -> int:
    query = select(func.count()).select_from(Booking).where(*_conditions(principal_id, status, now))
    return (await db.execute(query)).scalar_one()


async def owned_booking(db: AsyncSession, principal_id: int, reference: str) -> Booking | None:
    normalised = normalise_reference(reference)
    if len(normalised) > MAX_REFERENCE_INPUT_LENGTH:  # no reference: not even looked up
        return None
    query = select(Booking).where(col(Booking.reference) == normalised, col(Booking.principal_id) == principal_id)
    return (await db.execute(query)).scalar_one_or_none()


async def owned_booking_by_id(db: AsyncSession, principal_id: int, booking_id: int) -> Booking | None:
    query = select(Booking).where(col(Booking.id) == booking_id, col(Booking.principal_id) == principal_id)
    return (await db.execute(query)).scalar_one_or_none()
