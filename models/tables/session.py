"""Scheduled sessions of a tour, with their seat counter."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, Index, text
from sqlmodel import Field, SQLModel

from models.tables.stored import Stored
from models.timeutil import UTCDateTime


def new_uid() -> str:
    return f"{uuid.uuid4()}@craftway"


class TourSession(Stored, SQLModel, table=True):
    """One run of a tour.

    `seats_taken` counts seats of CONFIRMED bookings and of HELD bookings not yet marked EXPIRED.
    It only ever moves by a guarded UPDATE inside the transaction that changes a booking, and the
    CHECK constraint is the backstop: capacity can never be exceeded, even by a bug.
    """

    __tablename__ = "tour_session"
    __table_args__ = (
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="ck_session_seats"),
        CheckConstraint("capacity >= 0", name="ck_session_capacity"),
        # One scheduled session of a tour per start time; a cancelled one does not block its slot.
        Index(
            "uq_session_tour_start_scheduled",
            "tour_id",
            "starts_at",
            unique=True,
            sqlite_where=text("status = 'SCHEDULED'"),
            postgresql_where=text("status = 'SCHEDULED'"),
        ),
        Index("ix_tour_session_tour_start", "tour_id", "starts_at"),
        Index("ix_tour_session_import", "tour_id", "import_uid"),
        Index("ix_tour_session_booking_closes", "booking_closes_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    tour_id: int = Field(foreign_key="tour.id")
    starts_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    ends_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # starts_at minus the tour's booking cut-off, kept with the session so filters stay plain SQL.
    booking_closes_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    capacity: int
    seats_taken: int = 0
    status: str = Field(default="SCHEDULED", max_length=20)  # SCHEDULED, CANCELLED
    uid: str = Field(default_factory=new_uid, max_length=255, unique=True)
    # For sessions imported from an iCalendar file: the event's UID and RECURRENCE-ID (UTC ISO,
    # "" for a single event), which make re-imports idempotent.
    import_uid: str | None = Field(default=None, max_length=255)
    recurrence_id: str | None = Field(default=None, max_length=40)
    sequence: int = 0  # iCalendar SEQUENCE: rises when times change or the session is cancelled
    # Rises with every committed change of the session, seats included (webhook payloads carry it).
    version: int = 0
    cancel_reason: str | None = Field(default=None, max_length=500)
    # WAITING entries of its waiting list, moved with them under the session's lock.
    waitlist_length: int = 0
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
