"""What the planner knows how to answer: every public Query field and every public field that has
a resolver. A field with no resolver is a plain attribute of its strawberry object and needs no
entry here; a field with a resolver and no entry here cannot be planned (the generic executor
answers the document then).

A `Fetched` field is answered for all objects of a level at once: one call receives every
parent and goes through the request's DataLoaders, so each planned field costs one batch of SQL
however many parents there are. A `Computed` field needs no I/O.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from models.language import in_language
from resolvers.catalog import (
    center_page,
    commune_by_slug,
    commune_page,
    district_by_slug,
    district_list,
    village_page,
)
from resolvers.context import Context
from resolvers.coverage import coverage_in
from resolvers.node import public_node
from resolvers.products import product_by_slug, product_page
from resolvers.tours import tour_by_slug, tour_page
from schema.ids import decode_id
from schema.pagination import Connection
from schema.types.center import Center, center_calendar_url
from schema.types.commune import Commune, placed_commune
from schema.types.place import Craft, District
from schema.types.product import OcopProduct, outlets_of_product, products_of_center
from schema.types.session import Session
from schema.types.tour import (
    TicketPrice,
    Tour,
    sessions_of_tour,
    tour_calendar_url,
    tour_description,
    tour_texts,
    tour_title,
    tours_of,
)
from schema.types.village import CraftVillage

Arguments = dict[str, Any]
Row = TypeVar("Row")
Made = TypeVar("Made")


@dataclass(frozen=True, slots=True)
class Fetched:
    """Values of one field for every object of a level, in their order."""

    fetch: Callable[[Context, Sequence[Any], Arguments], Awaitable[list[Any]]]


@dataclass(frozen=True, slots=True)
class Computed:
    """A value worked out from its object and the request alone."""

    compute: Callable[[Any, Context], Any]


async def _each(calls: Sequence[Awaitable[Made]]) -> list[Made]:
    """Await per-object calls together, so their DataLoader keys land in one batch."""
    return list(await asyncio.gather(*calls))


async def _rows_by_id(loader: Any, ids: Sequence[int | None], make: Callable[[Row], Made]) -> list[Made | None]:
    wanted = sorted({i for i in ids if i is not None})
    found = dict(zip(wanted, await loader.load_many(wanted), strict=True))
    return [make(found[i]) if i is not None else None for i in ids]


def _one(loader_name: str, key: Callable[[Any], int | None], make: Callable[[Any, Context], Any]) -> Fetched:
    """A to-one relation: the row with id `key(object)` from the named loader, made into its type."""

    async def fetch(context: Context, objects: Sequence[Any], _args: Arguments) -> list[Any]:
        loader = getattr(context.loaders, loader_name)
        return await _rows_by_id(loader, [key(o) for o in objects], lambda row: make(row, context))

    return Fetched(fetch)


def _children(loader_name: str, key: Callable[[Any], int], make: Callable[[Any, Arguments], Any]) -> Fetched:
    """A to-many relation without paging: the list the named loader gives for `key(object)`."""

    async def fetch(context: Context, objects: Sequence[Any], args: Arguments) -> list[Any]:
        loader = getattr(context.loaders, loader_name)
        lists = await loader.load_many([key(o) for o in objects])
        return [make(rows, args) for rows in lists]

    return Fetched(fetch)


def _pages(page: Callable[[Context, Any, Arguments], Awaitable[Connection[Any]]]) -> Fetched:
    """A connection per object, through the same page function the strawberry resolver uses."""

    async def fetch(context: Context, objects: Sequence[Any], args: Arguments) -> list[Any]:
        return await _each([page(context, o, args) for o in objects])

    return Fetched(fetch)


def _headline_price(prices: list[Any], _args: Arguments) -> int:
    return next(p.price_vnd for p in prices if p.category == "ADULT")


def _centers_of_kind(rows: list[Any], args: Arguments) -> list[Center]:
    kind = args.get("kind")
    return [Center.from_row(r) for r in rows if kind is None or r.kind == kind.value]


def _village(row: Any, _context: Context) -> CraftVillage:
    return CraftVillage.from_row(row)


def _district(row: Any, _context: Context) -> District:
    return District.from_row(row)


def _craft(row: Any, context: Context) -> Craft:
    return Craft.from_row(row, context.language)


async def _tour_sessions(context: Context, tour: Tour, args: Arguments) -> Connection[Session]:
    return await sessions_of_tour(
        context,
        tour.row.pk,
        args.get("starts_after"),
        args.get("starts_before"),
        args.get("only_available"),
        args.get("first"),
        args.get("after"),
    )


def _owned_tours(column: str) -> Fetched:
    """The tours of a village or center (`column` names the owning column)."""
    return _pages(
        lambda context, owner, args: tours_of(context, column, owner.row.pk, args.get("first"), args.get("after"))
    )


async def _count(context: Context, connections: Sequence[Connection[Any]], _args: Arguments) -> list[int]:
    return await _each([c.count() for c in connections])


FIELDS: dict[tuple[type, str], Fetched | Computed] = {
    (Tour, "title"): Computed(lambda tour, context: tour_title(tour.row, context.language)),
    (Tour, "description"): Computed(lambda tour, context: tour_description(tour.row, context.language)),
    (Tour, "translations"): Computed(lambda tour, _context: tour_texts(tour.row)),
    (Tour, "calendar_url"): Computed(lambda tour, context: tour_calendar_url(tour.row, context.base_url)),
    (Tour, "craft"): _one("craft", lambda tour: tour.row.craft_id, _craft),
    (Tour, "price_vnd"): _children("prices_by_tour", lambda tour: tour.row.pk, _headline_price),
    (Tour, "prices"): _children(
        "prices_by_tour", lambda tour: tour.row.pk, lambda rows, _args: [TicketPrice.from_row(r) for r in rows]
    ),
    (Tour, "village"): _one("village", lambda tour: tour.row.village_id, _village),
    (Tour, "also_villages"): _children(
        "stops_by_tour", lambda tour: tour.row.pk, lambda rows, _args: [CraftVillage.from_row(r) for r in rows]
    ),
    (Tour, "center"): _one("center", lambda tour: tour.row.center_id, lambda row, _context: Center.from_row(row)),
    (Tour, "district"): _one("district", lambda tour: tour.row.district_id, _district),
    (Tour, "sessions"): _pages(_tour_sessions),
    (Session, "tour"): _one("tour", lambda session: session.view.tour_id, lambda row, _context: Tour.from_row(row)),
    (Center, "calendar_url"): Computed(lambda center, context: center_calendar_url(center.row, context.base_url)),
    (Center, "district"): _one("district", lambda center: center.row.district_id, _district),
    (Center, "village"): _one("village", lambda center: center.row.village_id, _village),
    (Center, "tours"): _owned_tours("center_id"),
    (Center, "products"): _pages(
        lambda context, center, args: products_of_center(
            context, center.row.pk, args.get("min_stars"), args.get("first"), args.get("after")
        )
    ),
    (CraftVillage, "description"): Computed(
        lambda village, context: in_language(context.language, village.row.description, village.row.description_en)
    ),
    (CraftVillage, "craft"): _one("craft", lambda village: village.row.craft_id, _craft),
    (CraftVillage, "district"): _one("district", lambda village: village.row.district_id, _district),
    (CraftVillage, "tours"): _owned_tours("village_id"),
    (District, "villages"): _children(
        "villages_by_district",
        lambda district: district.pk,
        lambda rows, _args: [CraftVillage.from_row(r) for r in rows],
    ),
    (District, "centers"): _children("centers_by_district", lambda district: district.pk, _centers_of_kind),
    (OcopProduct, "village"): _one("village", lambda product: product.row.village_id, _village),
    (OcopProduct, "district"): _one("district", lambda product: product.row.district_id, _district),
    (OcopProduct, "sold_at"): _pages(
        lambda context, product, args: outlets_of_product(context, product.row.pk, args.get("first"), args.get("after"))
    ),
    (Commune, "formed_from"): _children(
        "districts_by_commune", lambda commune: commune.row.pk, lambda rows, _args: [District.from_row(r) for r in rows]
    ),
    (District, "communes"): _children(
        "communes_by_district", lambda district: district.pk, lambda rows, _args: [Commune.from_row(r) for r in rows]
    ),
    (CraftVillage, "commune"): _children(
        "commune_of_village", lambda village: village.row.pk, lambda rows, _args: placed_commune(rows)
    ),
    (Center, "commune"): _children(
        "commune_of_center", lambda center: center.row.pk, lambda rows, _args: placed_commune(rows)
    ),
    (Connection, "total_count"): Fetched(_count),
}


async def _node(context: Context, args: Arguments) -> Any:
    decoded = decode_id(args["id"])
    # Only anonymous requests are planned, and they see no private object by id.
    return None if decoded is None else await public_node(context, *decoded)


RootFetch = Callable[[Context, Arguments], Awaitable[Any]]

ROOT_FIELDS: dict[str, RootFetch] = {
    "node": _node,
    "districts": lambda context, args: district_list(context, args.get("kind")),
    "district": lambda context, args: district_by_slug(context, args["slug"]),
    "villages": lambda context, args: village_page(
        context, args.get("search"), args.get("district_slug"), args.get("first"), args.get("after")
    ),
    "centers": lambda context, args: center_page(
        context, args.get("kind"), args.get("district_slug"), args.get("first"), args.get("after")
    ),
    "tours": lambda context, args: tour_page(context, args.get("filter"), args.get("first"), args.get("after")),
    "tour": lambda context, args: tour_by_slug(context, args["slug"]),
    "ocop_products": lambda context, args: product_page(
        context, args.get("filter"), args.get("first"), args.get("after")
    ),
    "ocop_product": lambda context, args: product_by_slug(context, args["slug"]),
    "coverage": lambda context, args: coverage_in(context, args["year"], args.get("level")),
    "communes": lambda context, args: commune_page(context, args.get("search"), args.get("first"), args.get("after")),
    "commune": lambda context, args: commune_by_slug(context, args["slug"]),
}
