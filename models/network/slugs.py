"""Slugs for what the API registers: the folded Vietnamese name, made unique with -2, -3..."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.errors import NotFound
from models.tables import Center, Commune, Craft, District, Product, Tour, Village
from models.tables.lengths import SLUG_LENGTH
from models.text import fold, slugify

Slugged = type[Center] | type[Product] | type[Tour]


def _base(name: str, fallback: str) -> str:
    return slugify(name)[: SLUG_LENGTH - 4].strip("-") or fallback


def unique_slug_in(taken: set[str], name: str, fallback: str) -> str:
    """The folded name ("Trung tâm Bát Tràng" -> "trung-tam-bat-trang"), or "...-2" (-3, ...)
    when `taken` has it; the slug given out is added to `taken`."""
    base = _base(name, fallback)
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


async def unique_slug(db: AsyncSession, model: Slugged, name: str, fallback: str) -> str:
    """The same against the slugs stored in `model`'s table."""
    base = _base(name, fallback)
    taken = set((await db.execute(select(col(model.slug)).where(col(model.slug).like(f"{base}%")))).scalars())
    return unique_slug_in(taken, name, fallback)


def product_search_text(name: str, producer: str, village_name: str | None) -> str:
    """What product search matches: name, producer and village, folded."""
    return fold(" ".join(w for w in (name, producer, village_name) if w))[:1000]


async def id_by_slug(
    db: AsyncSession, model: type[Commune] | type[Craft] | type[District] | type[Village], slug: str, field: str
) -> int:
    """The id of the row with `slug`, or NotFound naming the input `field`."""
    found = (await db.execute(select(col(model.id)).where(col(model.slug) == slug))).scalar_one_or_none()
    if found is None:
        raise NotFound(f"{field}: no {model.__name__.lower()} with slug {slug!r}", field)
    return found
