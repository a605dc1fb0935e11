"""Bookings made through the OCTO facade: the reseller's uuid for a booking (its idempotency key),
its own reference and notes, and the uuids of its unit items, which OCTO answers with."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.tables.stored import Stored
from models.timeutil import UTCDateTime


class OctoBooking(Stored, SQLModel, table=True):
    """Written in the transaction of the booking itself, so a retried reservation finds both or neither."""

    __tablename__ = "octo_booking"
    __table_args__ = (UniqueConstraint("principal_id", "uuid", name="uq_octo_booking_uuid"),)

    id: int | None = Field(default=None, primary_key=True)
    principal_id: int = Field(foreign_key="principal.id")
    uuid: str = Field(max_length=64)
    booking_id: int = Field(foreign_key="booking.id", unique=True)
    body_hash: str = Field(max_length=64)  # the reservation's body: the same uuid with another body is refused
    reseller_reference: str | None = Field(default=None, max_length=200, index=True)
    notes: str | None = Field(default=None, max_length=1000)
    unit_items: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))  # [{"uuid", "unitId"}]
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
