"""Bookings of seats in a session, and the history of their state changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index
from sqlmodel import Field, SQLModel

from models.tables.lengths import PHONE_LENGTH
from models.tables.stored import Stored
from models.timeutil import UTCDateTime


class Booking(Stored, SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("seats > 0", name="ck_booking_seats"),
        Index("ix_booking_session_status", "session_id", "status"),
        Index("ix_booking_principal_created", "principal_id", "created_at"),
        Index("ix_booking_status_hold_expires", "status", "hold_expires_at"),  # the expiry sweep
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=16, unique=True)
    principal_id: int = Field(foreign_key="principal.id")
    session_id: int = Field(foreign_key="tour_session.id")
    status: str = Field(max_length=20)  # HELD, CONFIRMED, CANCELLED, EXPIRED
    seats: int
    tickets: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    total_vnd: int
    contact_name: str = Field(max_length=200)
    contact_phone: str | None = Field(default=None, max_length=PHONE_LENGTH)
    contact_email: str | None = Field(default=None, max_length=254)
    hold_expires_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    confirmed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    cancelled_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    cancel_reason: str | None = Field(default=None, max_length=500)
    sequence: int = 0


class BookingEvent(Stored, SQLModel, table=True):
    """One state change of a booking: when, by whom, from which status to which, and why."""

    __tablename__ = "booking_event"

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", index=True)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    actor_id: int | None = Field(default=None, foreign_key="principal.id")
    actor_name: str = Field(max_length=120)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    reason: str | None = Field(default=None, max_length=500)
