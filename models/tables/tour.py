"""Tours (bookable experiences), their ticket prices and the villages they visit."""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.tables.lengths import SLUG_LENGTH
from models.tables.stored import Stored


class Tour(Stored, SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=SLUG_LENGTH, unique=True)
    title: str = Field(max_length=300)
    title_en: str | None = Field(default=None, max_length=300)
    description: str | None = None
    description_en: str | None = None
    craft_id: int = Field(foreign_key="craft.id", index=True)
    village_id: int | None = Field(default=None, foreign_key="village.id", index=True)
    center_id: int | None = Field(default=None, foreign_key="center.id", index=True)
    district_id: int = Field(foreign_key="district.id", index=True)
    duration_minutes: int
    duration_confidence: str = Field(default="estimated", max_length=20)
    languages: str = Field(default="vi", max_length=100)  # comma-separated language tags
    default_capacity: int
    max_per_booking: int
    booking_cutoff_minutes: int = 120
    cancellation_cutoff_minutes: int = 1440
    sample: bool = True
    # Archived tours leave lists and search and take no new sessions or bookings; what they
    # already have (sessions, bookings, feeds) keeps working.
    archived: bool = False
    # Folded title, villages, craft and district: what `search` matches, diacritics removed.
    search_text: str = Field(default="", max_length=2000)

    @property
    def language_list(self) -> list[str]:
        return split_languages(self.languages)


def split_languages(stored: str) -> list[str]:
    """The comma-separated `languages` column as a list of tags."""
    return [code for code in stored.split(",") if code]


class TicketPrice(Stored, SQLModel, table=True):
    __tablename__ = "ticket_price"
    __table_args__ = (UniqueConstraint("tour_id", "category", name="uq_ticket_price_category"),)

    id: int | None = Field(default=None, primary_key=True)
    tour_id: int = Field(foreign_key="tour.id", index=True)
    category: str = Field(max_length=20)
    label: str = Field(max_length=80)
    price_vnd: int
    confidence: str = Field(default="estimated", max_length=20)
    position: int = 0


class TourStop(SQLModel, table=True):
    """A further village a tour visits besides its host village (multi-village day tours)."""

    __tablename__ = "tour_stop"
    tour_id: int = Field(foreign_key="tour.id", primary_key=True)
    village_id: int = Field(foreign_key="village.id", primary_key=True)
    position: int = 0
