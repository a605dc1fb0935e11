"""Places and crafts: district-level units, crafts and craft villages."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, SQLModel

from models.tables.lengths import SLUG_LENGTH
from models.tables.stored import Stored


class District(Stored, SQLModel, table=True):
    """An administrative unit. In 2023 Hanoi had 30 at district level (quận, huyện, thị xã).

    `level` and the validity dates keep the model open for the 2025 reform that abolished the
    district level: a unit is never deleted, it just stops being valid.
    """

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=8, unique=True)
    slug: str = Field(max_length=SLUG_LENGTH, unique=True)
    name: str = Field(max_length=120)
    kind: str = Field(max_length=20)  # URBAN_DISTRICT, RURAL_DISTRICT, TOWN
    level: str = Field(default="DISTRICT", max_length=20)
    lat: float | None = None
    lon: float | None = None
    valid_from: date | None = None
    valid_until: date | None = None


class Craft(Stored, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=SLUG_LENGTH, unique=True)
    name: str = Field(max_length=120)
    name_en: str | None = Field(default=None, max_length=120)


class Village(Stored, SQLModel, table=True):
    """A craft village (làng nghề)."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=SLUG_LENGTH, unique=True)
    name: str = Field(max_length=200)
    name_en: str | None = Field(default=None, max_length=200)
    craft_id: int = Field(foreign_key="craft.id", index=True)
    district_id: int = Field(foreign_key="district.id", index=True)
    commune_2023: str | None = Field(default=None, max_length=120)
    commune_2025: str | None = Field(default=None, max_length=120)
    lat: float | None = None
    lon: float | None = None
    location_confidence: str | None = Field(default=None, max_length=20)
    description: str | None = None
    description_en: str | None = None
    search_text: str = Field(default="", max_length=1000)
