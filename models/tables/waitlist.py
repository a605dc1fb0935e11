"""Waiting lists: operators' groups waiting for seats of a sold-out session, and the history of
each entry's state changes (from which the order of offers can be checked afterwards)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.tables.lengths import PHONE_LENGTH
from models.tables.stored import Stored
from models.timeutil import UTCDateTime


class WaitlistEntry(Stored, SQLModel, table=True):
    """A group waiting for `seats` seats. Entries of a session are served oldest first: by `id`,
    which is given out under the session's lock, so it is the order in which they joined."""

    __tablename__ = "waitlist_entry"
    __table_args__ = (
        CheckConstraint("seats > 0", name="ck_waitlist_entry_seats"),
        UniqueConstraint("principal_id", "idempotency_key", name="uq_waitlist_entry_key"),
        Index("ix_waitlist_entry_session_status", "session_id", "status", "id"),
        Index("ix_waitlist_entry_principal_created", "principal_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    principal_id: int = Field(foreign_key="principal.id")
    session_id: int = Field(foreign_key="tour_session.id")
    status: str = Field(max_length=20)  # WAITING, OFFERED, BOOKED, EXPIRED, LEFT, CLOSED
    seats: int
    tickets: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    contact_name: str = Field(max_length=200)
    contact_phone: str | None = Field(default=None, max_length=PHONE_LENGTH)
    contact_email: str | None = Field(default=None, max_length=254)
    offer_minutes: int
    idempotency_key: str = Field(max_length=200)
    request_hash: str = Field(max_length=64)
    # The HELD booking made when the entry was offered seats.
    offer_booking_id: int | None = Field(default=None, foreign_key="booking.id", index=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    sequence: int = 0  # rises with every change (webhook payloads carry it as data.version)


class WaitlistEvent(Stored, SQLModel, table=True):
    """One state change of an entry. `seats_free` is the session's free seats just after it, so
    an offer can be checked against the entries that were waiting when it was made."""

    __tablename__ = "waitlist_event"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="waitlist_entry.id", index=True)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    seats_free: int
    reason: str | None = Field(default=None, max_length=200)
