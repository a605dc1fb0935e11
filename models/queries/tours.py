"""Finding tours: every TourFilter criterion, combined with AND, in SQL where SQL can do it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from models.geo import bounding_box, distance_km
from models.queries.pages import pages_per_owner
from models.queries.sessions import SessionWindow, window_conditions
from models.tables import Center, Craft, District, TicketPrice, Tour, TourSession, TourStop, Village
from models.tables.core import core_table
from models.text import fold, like_pattern, slugify

T = core_table(Tour).c


@dataclass(frozen=True, slots=True)
class Near:
    lat: float
    lon: float
    radius_km: float


@dataclass(frozen=True, slots=True)
class TourSearch:
    district_slug: str | None = None
    village_slug: str | None = None
    center_slug: str | None = None
    craft: str | None = None  # a craft slug or name, with or without diacritics
    search: str | None = None
    sessions: SessionWindow = field(default_factory=SessionWindow)
    language: str | None = None
    max_price_vnd: int | None = None
    near: Near | None = None

    @property
    def wants_sessions(self) -> bool:
        w = self.sessions
        return any(v is not None for v in (w.starts_after, w.starts_before, w.min_seats))


def _conditions(search: TourSearch, now: datetime) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [T.archived.is_(False)]
    if search.district_slug is not None:
        district_id = select(col(District.id)).where(col(District.slug) == search.district_slug).scalar_subquery()
        conditions.append(T.district_id == district_id)
    if search.village_slug is not None:
        village_id = select(col(Village.id)).where(col(Village.slug) == search.village_slug).scalar_subquery()
        stop = exists().where(col(TourStop.tour_id) == T.id, col(TourStop.village_id) == village_id)
        conditions.append(or_(T.village_id == village_id, stop))
    if search.center_slug is not None:
        conditions.append(
            T.center_id == select(col(Center.id)).where(col(Center.slug) == search.center_slug).scalar_subquery()
        )
    if search.craft is not None:
        conditions.append(
            T.craft_id == select(col(Craft.id)).where(col(Craft.slug) == slugify(search.craft)).scalar_subquery()
        )
    if search.search is not None and fold(search.search):
        conditions.append(T.search_text.like(like_pattern(fold(search.search)), escape="\\"))
    if search.language is not None:
        padded = literal(",") + T.languages + literal(",")
        conditions.append(padded.like(like_pattern(f",{search.language.strip().lower()},"), escape="\\"))
    if search.max_price_vnd is not None:
        conditions.append(
            exists().where(
                col(TicketPrice.tour_id) == T.id,
                col(TicketPrice.category) == "ADULT",
                col(TicketPrice.price_vnd) <= search.max_price_vnd,
            )
        )
    if search.wants_sessions:
        s = core_table(TourSession).c
        conditions.append(exists().where(s.tour_id == T.id, *window_conditions(search.sessions, now)))
    return conditions


def _location_query(conditions: Sequence[ColumnElement[bool]], near: Near) -> Select[*tuple[Any, ...]]:
    """Tour ids with their point: the center's, else the village's, else the district centroid."""
    center, village, district = aliased(Center), aliased(Village), aliased(District)
    lat = func.coalesce(col(center.lat), col(village.lat), col(district.lat))
    lon = func.coalesce(col(center.lon), col(village.lon), col(district.lon))
    min_lat, max_lat, min_lon, max_lon = bounding_box(near.lat, near.lon, near.radius_km)
    return (
        select(T.id, lat.label("lat"), lon.label("lon"))
        .select_from(Tour)
        .outerjoin(center, col(center.id) == T.center_id)
        .outerjoin(village, col(village.id) == T.village_id)
        .join(district, col(district.id) == T.district_id)
        .where(*conditions, lat.between(min_lat, max_lat), lon.between(min_lon, max_lon))
    )


async def _nearest_ids(db: AsyncSession, search: TourSearch, now: datetime) -> list[int]:
    near = search.near
    assert near is not None
    rows = await db.execute(_location_query(_conditions(search, now), near))
    within = [(distance_km(near.lat, near.lon, r.lat, r.lon), r.id) for r in rows]
    return [tour_id for d, tour_id in sorted(within) if d <= near.radius_km]


async def find_tours(db: AsyncSession, search: TourSearch, now: datetime, offset: int, limit: int) -> list[Tour]:
    """One page of matching tours: nearest first with `near`, otherwise in catalogue order."""
    if search.near is None:
        query = select(Tour).where(*_conditions(search, now)).order_by(T.id).offset(offset).limit(limit)
        return list((await db.execute(query)).scalars())
    page_ids = (await _nearest_ids(db, search, now))[offset : offset + limit]
    if not page_ids:
        return []
    tours = {t.id: t for t in (await db.execute(select(Tour).where(T.id.in_(page_ids)))).scalars()}
    return [tours[i] for i in page_ids]


async def count_tours(db: AsyncSession, search: TourSearch, now: datetime) -> int:
    if search.near is not None:
        return len(await _nearest_ids(db, search, now))
    query = select(func.count()).select_from(Tour).where(*_conditions(search, now))
    return (await db.execute(query)).scalar_one()


async def tours_grouped_by(
    db: AsyncSession, column_name: str, owner_ids: Sequence[int], offset: int, limit: int
) -> dict[int, list[Tour]]:
    """Pages of tours per village or center (`column_name` is "village_id" or "center_id")."""
    owner = T[column_name]
    position = func.row_number().over(partition_by=owner, order_by=T.id)
    numbered = (
        select(owner.label("owner"), T.id.label("item"), position.label("n"))
        .where(owner.in_(list(owner_ids)), T.archived.is_(False))
        .subquery()
    )
    return await pages_per_owner(db, numbered, Tour, offset, limit)


async def tour_counts_grouped_by(db: AsyncSession, column_name: str, owner_ids: Sequence[int]) -> dict[int, int]:
    owner = T[column_name]
    query = select(owner, func.count()).where(owner.in_(list(owner_ids)), T.archived.is_(False)).group_by(owner)
    return {owner_id: count for owner_id, count in await db.execute(query)}
