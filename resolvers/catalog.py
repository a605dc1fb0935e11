"""Query fields for districts, villages and centers."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.queries import places
from models.tables import District as DistrictRow
from resolvers.context import Info
from schema.arguments import After, First, Slug
from schema.pagination import Connection, connection, page_args
from schema.types.center import Center
from schema.types.enums import CenterKind, DistrictKind
from schema.types.place import District
from schema.types.village import CraftVillage


async def districts(
    info: Info,
    kind: Annotated[DistrictKind | None, strawberry.argument(description="Only units of this kind.")] = None,
) -> list[District]:
    async with info.context.sessions() as db:
        rows = await places.list_districts(db, kind.name if kind else None)
    return [District.from_row(r) for r in rows]


async def district(info: Info, slug: Slug) -> District | None:
    async with info.context.sessions() as db:
        row = await places.by_slug(db, DistrictRow, slug)
    return District.from_row(row) if row else None


async def villages(
    info: Info,
    search: Annotated[
        str | None, strawberry.argument(description="Words in the name, craft or district; diacritic-insensitive.")
    ] = None,
    district_slug: Annotated[str | None, strawberry.argument(description="Only villages in this district.")] = None,
    first: First = None,
    after: After = None,
) -> Connection[CraftVillage]:
    page = page_args(first, after)
    sessions = info.context.sessions
    async with sessions() as db:
        rows = await places.find_villages(db, search, district_slug, page.offset, page.probe)

    async def count() -> int:
        async with sessions() as db:
            return await places.count_villages(db, search, district_slug)

    return connection([CraftVillage.from_row(r) for r in rows], page, count)


async def centers(
    info: Info,
    kind: Annotated[CenterKind | None, strawberry.argument(description="Only centers of this kind.")] = None,
    district_slug: Annotated[str | None, strawberry.argument(description="Only centers in this district.")] = None,
    first: First = None,
    after: After = None,
) -> Connection[Center]:
    page = page_args(first, after)
    kind_value = kind.name if kind else None
    sessions = info.context.sessions
    async with sessions() as db:
        rows = await places.find_centers(db, kind_value, district_slug, page.offset, page.probe)

    async def count() -> int:
        async with sessions() as db:
            return await places.count_centers(db, kind_value, district_slug)

    return connection([Center.from_row(r) for r in rows], page, count)
