"""Who calls the API: principals (an operator, a center's staff, an admin) and their tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.tables.lengths import FEED_TOKEN_LENGTH
from models.tables.stored import Stored
from models.timeutil import UTCDateTime


class Principal(Stored, SQLModel, table=True):
    """An operator, a center's staff or an admin. Bookings belong to a principal, not a token,
    so rotating a token keeps an operator's bookings."""

    __table_args__ = (UniqueConstraint("role", "name", "center_id", name="uq_principal_identity"),)

    id: int | None = Field(default=None, primary_key=True)
    role: str = Field(max_length=20)  # OPERATOR, CENTER_STAFF, ADMIN
    name: str = Field(max_length=120)
    center_id: int | None = Field(default=None, foreign_key="center.id", index=True)
    # Read-only capability for the private .ics feed; separate from API tokens, replaceable.
    feed_token: str | None = Field(default=None, max_length=FEED_TOKEN_LENGTH, unique=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ApiToken(Stored, SQLModel, table=True):
    """A bearer token, stored only as its SHA-256 (tokens are 256-bit random, so no salt needed)."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    principal_id: int = Field(foreign_key="principal.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
