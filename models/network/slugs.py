"""Slugs for what the API registers: the folded Vietnamese name, made unique with -2, -3..."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.tables import Center, Tour
from models.tables.lengths import SLUG_LENGTH
from models.text import slugify


async def unique_slug(db: AsyncSession, model: type[Center] | type[Tour], name: str, fallback: str) -> str:
    """ "Trung tâm Bát Tràng" -> "trung-tam-bat-trang", or "...-2" when that is taken."""
    base = slugify(name)[: SLUG_LENGTH - 4].strip("-") or fallback
    taken = set((await db.execute(select(col(model.slug)).where(col(model.slug).like(f"{base}%")))).scalars())
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug
