"""OCOP-rated products and the centers where they are sold."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field, SQLModel

from models.tables.lengths import SLUG_LENGTH
from models.tables.stored import Stored


class Product(Stored, SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("stars BETWEEN 3 AND 5", name="ck_product_stars"),
        Index("uq_product_slug", "slug", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=SLUG_LENGTH)
    name: str = Field(max_length=300)
    producer: str = Field(max_length=300)
    stars: int
    product_group: str | None = Field(default=None, max_length=80)
    village_id: int | None = Field(default=None, foreign_key="village.id", index=True)
    district_id: int | None = Field(default=None, foreign_key="district.id", index=True)
    # As the source gives it ("2020", "early 2023"); certified_on only where a day is known.
    certified: str | None = Field(default=None, max_length=80)
    certified_on: date | None = None
    confidence: str = Field(default="reported", max_length=20)
    # Folded name, producer and village: what `search` matches.
    search_text: str = Field(default="", max_length=1000)


class ProductOutlet(SQLModel, table=True):
    """A center that sells a product."""

    __tablename__ = "product_outlet"
    product_id: int = Field(foreign_key="product.id", primary_key=True)
    center_id: int = Field(foreign_key="center.id", primary_key=True)
