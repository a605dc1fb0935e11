"""Query fields for districts, villages and centers."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.queries import places
from models.tables import Commune as CommuneRow
from models.tables import District as DistrictRow
from resolvers.context import Context, Info
from schema.arguments import After, First, Slug
from schema.pagination import Connection, connection, page_args
from schema.types.center import Center
from schema.types.commune import Commune
from schema.types.enums import CenterKind, DistrictKind
from schema.types.place import District
from schema.types.village import CraftVillage


async def districts(
    info: Info,
    kind: Annotated[DistrictKind | None, strawberry.argument(description="Only units of this kind.")] = None,
) -> list[District]:
    return await district_list(info.context, kind)


async def district_list(context: Context, kind: DistrictKind | None) -> list[District]:
    async with context.sessions() as db:
        rows = await places.list_districts(db, kind.name if kind else None)
    return [District.from_row(r) for r in rows]


async def district(info: Info, slug: Slug) -> District | None:
    return await district_by_slug(info.context, slug)


async def district_by_slug(context: Context, slug: str) -> District | None:
    async with context.sessions() as db:
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
    return await village_page(info.context, search, district_slug, first, after)


async def village_page(
    context: Context, search: str | None, district_slug: str | None, first: int | None, after: str | None
) -> Connection[CraftVillage]:
    page = page_args(first, after)
    sessions = context.sessions
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
    return await center_page(info.context, kind, district_slug, first, after)


async def center_page(
    context: Context, kind: CenterKind | None, district_slug: str | None, first: int | None, after: str | None
) -> Connection[Center]:
    page = page_args(first, after)
    kind_value = kind.name if kind else None
    sessions = context.sessions
    async with sessions() as db:
        rows = await places.find_centers(db, kind_value, district_slug, page.offset, page.probe)

    async def count() -> int:
        async with sessions() as db:
            return await places.count_centers(db, kind_value, district_slug)

    return connection([Center.from_row(r) for r in rows], page, count)


async def communes(
    info: Info,
    search: Annotated[
        str | None, strawberry.argument(description="Words in the name or the code; diacritic-insensitive.")
    ] = None,
    first: First = None,
    after: After = None,
) -> Connection[Commune]:
    return await commune_page(info.context, search, first, after)


async def commune_page(
    context: Context, search: str | None, first: int | None, after: str | None
) -> Connection[Commune]:
    page = page_args(first, after)
    sessions = context.sessions
    async with sessions() as db:
        rows = await places.find_communes(db, search, page.offset, page.probe)

    async def count() -> int:
        async with sessions() as db:
            return await places.count_communes(db, search)

    return connection([Commune.from_row(r) for r in rows], page, count)


async def commune(info: Info, slug: Slug) -> Commune | None:
    return await commune_by_slug(info.context, slug)


async def commune_by_slug(context: Context, slug: str) -> Commune | None:
    async with context.sessions() as db:
        row = await places.by_slug(db, CommuneRow, slug)
    return Commune.from_row(row) if row else None
