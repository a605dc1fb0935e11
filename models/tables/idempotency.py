"""Idempotency keys of booking mutations, scoped to the operator that sent them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from models.timeutil import UTCDateTime


class IdempotencyKey(SQLModel, table=True):
    """Written in the same transaction as the booking it produced, so a retry finds either both
    or neither. `request_hash` tells a replay (same input) from a conflict (different input)."""

    __tablename__ = "idempotency_key"

    principal_id: int = Field(foreign_key="principal.id", primary_key=True)
    key: str = Field(max_length=200, primary_key=True)
    operation: str = Field(max_length=40)
    request_hash: str = Field(max_length=64)
    booking_id: int = Field(foreign_key="booking.id")
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
