"""Listing districts, villages and centers."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col

from models.tables import Center, Commune, Craft, District, Product, Tour, Village
from models.text import fold, like_pattern

RowT = TypeVar("RowT")
# The tables `by_slug` reads: each has a unique `slug`.
SluggedRow = TypeVar("SluggedRow", Center, Commune, Craft, District, Product, Tour, Village)


async def list_districts(db: AsyncSession, kind: str | None) -> list[District]:
    query = select(District).order_by(col(District.code))
    if kind is not None:
        query = query.where(col(District.kind) == kind)
    return list((await db.execute(query)).scalars())


def _district_condition(column: SQLColumnExpression[int], district_slug: str | None) -> list[ColumnElement[bool]]:
    if district_slug is None:
        return []
    return [column == select(col(District.id)).where(col(District.slug) == district_slug).scalar_subquery()]


def _village_conditions(search: str | None, district_slug: str | None) -> list[ColumnElement[bool]]:
    conditions = _district_condition(col(Village.district_id), district_slug)
    if search is not None and fold(search):
        conditions.append(col(Village.search_text).like(like_pattern(fold(search)), escape="\\"))
    return conditions


def _center_conditions(kind: str | None, district_slug: str | None) -> list[ColumnElement[bool]]:
    conditions = _district_condition(col(Center.district_id), district_slug)
    if kind is not None:
        conditions.append(col(Center.kind) == kind)
    return conditions


async def _page(db: AsyncSession, query: Select[RowT], offset: int, limit: int) -> list[RowT]:
    return list((await db.execute(query.offset(offset).limit(limit))).scalars())


async def _count(db: AsyncSession, model: type[SQLModel], conditions: list[ColumnElement[bool]]) -> int:
    return (await db.execute(select(func.count()).select_from(model).where(*conditions))).scalar_one()


async def find_villages(
    db: AsyncSession, search: str | None, district_slug: str | None, offset: int, limit: int
) -> list[Village]:
    query = select(Village).where(*_village_conditions(search, district_slug)).order_by(col(Village.id))
    return await _page(db, query, offset, limit)


async def count_villages(db: AsyncSession, search: str | None, district_slug: str | None) -> int:
    return await _count(db, Village, _village_conditions(search, district_slug))


async def find_centers(
    db: AsyncSession, kind: str | None, district_slug: str | None, offset: int, limit: int
) -> list[Center]:
    query = select(Center).where(*_center_conditions(kind, district_slug)).order_by(col(Center.id))
    return await _page(db, query, offset, limit)


async def count_centers(db: AsyncSession, kind: str | None, district_slug: str | None) -> int:
    return await _count(db, Center, _center_conditions(kind, district_slug))


def _commune_conditions(search: str | None) -> list[ColumnElement[bool]]:
    if search is None or not fold(search):
        return []
    return [col(Commune.search_text).like(like_pattern(fold(search)), escape="\\")]


async def find_communes(db: AsyncSession, search: str | None, offset: int, limit: int) -> list[Commune]:
    query = select(Commune).where(*_commune_conditions(search)).order_by(col(Commune.code))
    return await _page(db, query, offset, limit)


async def count_communes(db: AsyncSession, search: str | None) -> int:
    return await _count(db, Commune, _commune_conditions(search))


async def by_slug(db: AsyncSession, model: type[SluggedRow], slug: str) -> SluggedRow | None:
    return (await db.execute(select(model).where(col(model.slug) == slug))).scalar_one_or_none()
