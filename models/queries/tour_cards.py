"""The data of a page of "tour cards" (a tour with its place names and headline price) in one
statement; the shape the mobile app asks for most."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.tables import Center, District, TicketPrice, Tour, Village
from models.tables.tour import split_languages


@dataclass(frozen=True, slots=True)
class TourCard:
    id: int
    slug: str
    title: str
    duration_minutes: int
    languages: list[str]
    price_vnd: int
    village_name: str | None
    center_name: str | None
    district_name: str


async def tour_cards(db: AsyncSession, limit: int) -> tuple[list[TourCard], int]:
    """The first `limit` tours in catalogue order, and how many tours there are."""
    adult_price = (
        select(col(TicketPrice.price_vnd))
        .where(col(TicketPrice.tour_id) == col(Tour.id), col(TicketPrice.category) == "ADULT")
        .scalar_subquery()
    )
    query = (
        select(
            col(Tour.id),
            col(Tour.slug),
            col(Tour.title),
            col(Tour.duration_minutes),
            col(Tour.languages),
            adult_price.label("price"),
            col(Village.name).label("village"),
            col(Center.name).label("center"),
            col(District.name).label("district"),
            func.count().over().label("total"),
        )
        .outerjoin(Village, col(Village.id) == col(Tour.village_id))
        .outerjoin(Center, col(Center.id) == col(Tour.center_id))
        .join(District, col(District.id) == col(Tour.district_id))
        .where(col(Tour.archived).is_(False))
        .order_by(col(Tour.id))
        .limit(limit)
    )
    rows = (await db.execute(query)).all()
    if rows:
        total = int(rows[0].total)
    else:
        listed = select(func.count()).select_from(Tour).where(col(Tour.archived).is_(False))
        total = int((await db.execute(listed)).scalar_one())
    cards = [
        TourCard(
            r.id,
            r.slug,
            r.title,
            r.duration_minutes,
            split_languages(r.languages),
            r.price,
            r.village,
            r.center,
            r.district,
        )
        for r in rows
    ]
    return cards, total
