"""Query fields `tours` and `tour`."""

from __future__ import annotations

import math
from typing import Annotated

import strawberry

from models.queries import places
from models.queries.sessions import SessionWindow
from models.queries.tours import Near, TourSearch, count_tours, find_tours
from models.tables import Tour as TourRow
from resolvers.context import Context, Info
from schema.arguments import After, First, Slug
from schema.errors import bad_input
from schema.inputs import GeoNear, TourFilter
from schema.pagination import Connection, connection, page_args
from schema.types.tour import Tour

MAX_SEARCH_LENGTH = 200
MAX_RADIUS_KM = 20_000.0


def near_circle(near: GeoNear) -> Near:
    values = (near.lat, near.lon, near.radius_km)
    if not all(math.isfinite(v) for v in values):
        raise bad_input("filter.near: lat, lon and radiusKm must be finite numbers")
    if not -90 <= near.lat <= 90 or not -180 <= near.lon <= 180:
        raise bad_input("filter.near: lat must be within -90..90 and lon within -180..180")
    if not 0 < near.radius_km <= MAX_RADIUS_KM:
        raise bad_input(f"filter.near.radiusKm must be above 0 and at most {MAX_RADIUS_KM:g}")
    return Near(near.lat, near.lon, near.radius_km)


def tour_search(f: TourFilter | None) -> TourSearch:
    """Check a TourFilter and turn it into the domain's search."""
    if f is None:
        return TourSearch()
    if f.search is not None and len(f.search) > MAX_SEARCH_LENGTH:
        raise bad_input(f"filter.search: at most {MAX_SEARCH_LENGTH} characters")
    if f.min_seats is not None and f.min_seats < 1:
        raise bad_input("filter.minSeats must be at least 1")
    if f.max_price_vnd is not None and f.max_price_vnd < 0:
        raise bad_input("filter.maxPriceVnd must not be negative")
    window = SessionWindow(starts_after=f.starts_after, starts_before=f.starts_before, min_seats=f.min_seats)
    return TourSearch(
        district_slug=f.district_slug,
        village_slug=f.village_slug,
        center_slug=f.center_slug,
        craft=f.craft,
        search=f.search,
        sessions=window,
        language=f.language,
        max_price_vnd=f.max_price_vnd,
        near=near_circle(f.near) if f.near else None,
    )


async def tours(
    info: Info,
    filter: Annotated[TourFilter | None, strawberry.argument(description="Criteria, combined with AND.")] = None,
    first: First = None,
    after: After = None,
) -> Connection[Tour]:
    return await tour_page(info.context, filter, first, after)


async def tour_page(
    context: Context, filter: TourFilter | None, first: int | None, after: str | None
) -> Connection[Tour]:
    page = page_args(first, after)
    search = tour_search(filter)
    async with context.sessions() as db:
        rows = await find_tours(db, search, context.now, page.offset, page.probe)

    async def count() -> int:
        async with context.sessions() as db:
            return await count_tours(db, search, context.now)

    return connection([Tour.from_row(r) for r in rows], page, count)


async def tour(info: Info, slug: Slug) -> Tour | None:
    return await tour_by_slug(info.context, slug)


async def tour_by_slug(context: Context, slug: str) -> Tour | None:
    async with context.sessions() as db:
        row = await places.by_slug(db, TourRow, slug)
    return Tour.from_row(row) if row else None
