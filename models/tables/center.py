"""OCOP showrooms and design-creative centers."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, SQLModel

from models.tables.lengths import SLUG_LENGTH
from models.tables.stored import Stored


class Center(Stored, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=SLUG_LENGTH, unique=True)
    name: str = Field(max_length=300)
    kind: str = Field(max_length=20, index=True)  # OCOP_SHOWROOM, DESIGN_CENTER
    district_id: int = Field(foreign_key="district.id", index=True)
    village_id: int | None = Field(default=None, foreign_key="village.id", index=True)
    address: str | None = Field(default=None, max_length=300)
    opened_on: date | None = None
    # A center that closed stops counting (coverage) from this day on.
    closed_on: date | None = None
    opened_on_confidence: str | None = Field(default=None, max_length=20)
    lat: float | None = None
    lon: float | None = None
    note: str | None = None
