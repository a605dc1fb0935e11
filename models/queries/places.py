"""Listing districts, villages and centers."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import Center, District, Village
from models.text import fold, like_pattern


async def list_districts(db: AsyncSession, kind: str | None) -> list[District]:
    query = select(District).order_by(District.code)
    if kind is not None:
        query = query.where(District.kind == kind)
    return list((await db.execute(query)).scalars())


async def district_by_slug(db: AsyncSession, slug: str) -> District | None:
    return (await db.execute(select(District).where(District.slug == slug))).scalar_one_or_none()


def _district_condition(column: ColumnElement[int], district_slug: str | None) -> list[ColumnElement[bool]]:
    if district_slug is None:
        return []
    return [column == select(District.id).where(District.slug == district_slug).scalar_subquery()]


def _village_conditions(search: str | None, district_slug: str | None) -> list[ColumnElement[bool]]:
    conditions = _district_condition(Village.district_id, district_slug)  # type: ignore[arg-type]
    if search is not None and fold(search):
        conditions.append(Village.search_text.like(like_pattern(fold(search)), escape="\\"))  # type: ignore[attr-defined]
    return conditions


def _center_conditions(kind: str | None, district_slug: str | None) -> list[ColumnElement[bool]]:
    conditions = _district_condition(Center.district_id, district_slug)  # type: ignore[arg-type]
    if kind is not None:
        conditions.append(Center.kind == kind)  # type: ignore[arg-type]
    return conditions


async def _page(db: AsyncSession, query: Select, offset: int, limit: int) -> list:  # type: ignore[type-arg]
    return list((await db.execute(query.offset(offset).limit(limit))).scalars())


async def _count(db: AsyncSession, model: type, conditions: list[ColumnElement[bool]]) -> int:
    return (await db.execute(select(func.count()).select_from(model).where(*conditions))).scalar_one()


async def find_villages(
    db: AsyncSession, search: str | None, district_slug: str | None, offset: int, limit: int
) -> list[Village]:
    query = select(Village).where(*_village_conditions(search, district_slug)).order_by(Village.id)
    return await _page(db, query, offset, limit)


async def count_villages(db: AsyncSession, search: str | None, district_slug: str | None) -> int:
    return await _count(db, Village, _village_conditions(search, district_slug))


async def find_centers(
    db: AsyncSession, kind: str | None, district_slug: str | None, offset: int, limit: int
) -> list[Center]:
    query = select(Center).where(*_center_conditions(kind, district_slug)).order_by(Center.id)
    return await _page(db, query, offset, limit)


async def count_centers(db: AsyncSession, kind: str | None, district_slug: str | None) -> int:
    return await _count(db, Center, _center_conditions(kind, district_slug))


async def by_slug(db: AsyncSession, model: type, slug: str):  # type: ignore[no-untyped-def]
    return (await db.execute(select(model).where(model.slug == slug))).scalar_one_or_none()
