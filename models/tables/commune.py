"""The 126 communes and wards of Hanoi from the 2025 reform, what they were formed from, and which
of them each village and center lies in.

Placement lives in link tables rather than in columns of `village` and `center`: adding a foreign
key column to an existing table on SQLite means rebuilding the table, and a link table also
keeps how each place was decided (by its known commune, or by its coordinates).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, SQLModel

from models.tables.lengths import SLUG_LENGTH
from models.tables.stored import Stored


class Commune(Stored, SQLModel, table=True):
    """A commune-level unit (phường or xã) in force since the district level was abolished."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=8, unique=True)
    slug: str = Field(max_length=SLUG_LENGTH, unique=True)
    name: str = Field(max_length=120)
    full_name: str = Field(max_length=140)
    kind: str = Field(max_length=20)  # WARD (phường), COMMUNE (xã)
    valid_from: date
    lat: float | None = None
    lon: float | None = None
    search_text: str = Field(default="", max_length=300)


class CommuneOrigin(SQLModel, table=True):
    """A 2023 district that (part of) a commune's territory came from."""

    __tablename__ = "commune_origin"
    commune_id: int = Field(foreign_key="commune.id", primary_key=True)
    district_id: int = Field(foreign_key="district.id", primary_key=True, index=True)


class VillagePlacement(SQLModel, table=True):
    """The commune a village lies in; `placed_by` says how that was decided."""

    __tablename__ = "village_placement"
    village_id: int = Field(foreign_key="village.id", primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    placed_by: str = Field(max_length=20)  # COMMUNE, COORDINATES


class CenterPlacement(SQLModel, table=True):
    """The commune a center lies in; `placed_by` says how that was decided."""

    __tablename__ = "center_placement"
    center_id: int = Field(foreign_key="center.id", primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    placed_by: str = Field(max_length=20)  # COMMUNE, COORDINATES, VILLAGE, GIVEN
