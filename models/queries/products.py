"""Finding OCOP products: every ProductFilter criterion combined with AND; `near` judges a
product by the nearest center that sells it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from models.geo import bounding_box, distance_km
from models.queries.pages import pages_per_owner
from models.queries.tours import Near
from models.tables import Center, Craft, District, Product, ProductOutlet, Village
from models.text import fold, like_pattern, slugify


@dataclass(frozen=True, slots=True)
class ProductSearch:
    search: str | None = None
    min_stars: int | None = None
    district_slug: str | None = None
    village_slug: str | None = None
    craft: str | None = None  # the village's craft, slug or name
    product_group: str | None = None
    sold_at_center_slug: str | None = None
    near: Near | None = None


def _id_of(model: type[District] | type[Village] | type[Center], slug: str) -> ColumnElement[int]:
    return select(col(model.id)).where(col(model.slug) == slug).scalar_subquery()


def _conditions(search: ProductSearch) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if search.search is not None and fold(search.search):
        conditions.append(col(Product.search_text).like(like_pattern(fold(search.search)), escape="\\"))
    if search.min_stars is not None:
        conditions.append(col(Product.stars) >= search.min_stars)
    if search.district_slug is not None:
        conditions.append(col(Product.district_id) == _id_of(District, search.district_slug))
    if search.village_slug is not None:
        conditions.append(col(Product.village_id) == _id_of(Village, search.village_slug))
    if search.craft is not None:
        craft_id = select(col(Craft.id)).where(col(Craft.slug) == slugify(search.craft)).scalar_subquery()
        villages = select(col(Village.id)).where(col(Village.craft_id) == craft_id)
        conditions.append(col(Product.village_id).in_(villages))
    if search.product_group is not None:
        conditions.append(func.lower(col(Product.product_group)) == search.product_group.strip().lower())
    if search.sold_at_center_slug is not None:
        outlet = aliased(ProductOutlet)  # its own name: `near` joins product_outlet around this test
        conditions.append(
            exists().where(
                col(outlet.product_id) == col(Product.id),
                col(outlet.center_id) == _id_of(Center, search.sold_at_center_slug),
            )
        )
    return conditions


async def _nearest_ids(db: AsyncSession, search: ProductSearch) -> list[int]:
    """Matching products with a selling center within the radius, nearest such center first."""
    near = search.near
    assert near is not None
    min_lat, max_lat, min_lon, max_lon = bounding_box(near.lat, near.lon, near.radius_km)
    query = (
        select(col(Product.id), col(Center.lat), col(Center.lon))
        .join(ProductOutlet, col(ProductOutlet.product_id) == col(Product.id))
        .join(Center, col(Center.id) == col(ProductOutlet.center_id))
        .where(
            *_conditions(search), col(Center.lat).between(min_lat, max_lat), col(Center.lon).between(min_lon, max_lon)
        )
    )
    nearest: dict[int, float] = {}
    for product_id, lat, lon in await db.execute(query):
        if product_id is None or lat is None or lon is None:  # the bounding box excludes these
            continue
        distance = distance_km(near.lat, near.lon, lat, lon)
        if distance <= near.radius_km and distance < nearest.get(product_id, float("inf")):
            nearest[product_id] = distance
    return [product_id for product_id, _ in sorted(nearest.items(), key=lambda item: (item[1], item[0]))]


async def find_products(db: AsyncSession, search: ProductSearch, offset: int, limit: int) -> list[Product]:
    """One page: nearest first with `near`, else by stars (most first), then catalogue order."""
    if search.near is None:
        query = (
            select(Product)
            .where(*_conditions(search))
            .order_by(col(Product.stars).desc(), col(Product.id))
            .offset(offset)
            .limit(limit)
        )
        return list((await db.execute(query)).scalars())
    page_ids = (await _nearest_ids(db, search))[offset : offset + limit]
    found = {p.pk: p for p in (await db.execute(select(Product).where(col(Product.id).in_(page_ids)))).scalars()}
    return [found[i] for i in page_ids]


async def count_products(db: AsyncSession, search: ProductSearch) -> int:
    if search.near is not None:
        return len(await _nearest_ids(db, search))
    query = select(func.count()).select_from(Product).where(*_conditions(search))
    return int((await db.execute(query)).scalar_one())


async def products_of_centers(
    db: AsyncSession, center_ids: Sequence[int], min_stars: int | None, offset: int, limit: int
) -> dict[int, list[Product]]:
    """Per center: the page of products it sells, by stars then catalogue order."""
    conditions: list[ColumnElement[bool]] = [col(ProductOutlet.center_id).in_(list(center_ids))]
    if min_stars is not None:
        conditions.append(col(Product.stars) >= min_stars)
    position = func.row_number().over(
        partition_by=col(ProductOutlet.center_id), order_by=(col(Product.stars).desc(), col(Product.id))
    )
    numbered = (
        select(col(ProductOutlet.center_id).label("owner"), col(Product.id).label("item"), position.label("n"))
        .join(Product, col(Product.id) == col(ProductOutlet.product_id))
        .where(*conditions)
        .subquery()
    )
    return await pages_per_owner(db, numbered, Product, offset, limit)


async def product_counts_of_centers(
    db: AsyncSession, center_ids: Sequence[int], min_stars: int | None
) -> dict[int, int]:
    conditions: list[ColumnElement[bool]] = [col(ProductOutlet.center_id).in_(list(center_ids))]
    if min_stars is not None:
        conditions.append(col(Product.stars) >= min_stars)
    query = (
        select(col(ProductOutlet.center_id), func.count())
        .join(Product, col(Product.id) == col(ProductOutlet.product_id))
        .where(*conditions)
        .group_by(col(ProductOutlet.center_id))
    )
    return {center_id: count for center_id, count in await db.execute(query)}


async def outlets_of_products(
    db: AsyncSession, product_ids: Sequence[int], offset: int, limit: int
) -> dict[int, list[Center]]:
    """Per product: the page of centers that sell it, in catalogue order."""
    position = func.row_number().over(partition_by=col(ProductOutlet.product_id), order_by=col(ProductOutlet.center_id))
    numbered = (
        select(
            col(ProductOutlet.product_id).label("owner"),
            col(ProductOutlet.center_id).label("item"),
            position.label("n"),
        )
        .where(col(ProductOutlet.product_id).in_(list(product_ids)))
        .subquery()
    )
    return await pages_per_owner(db, numbered, Center, offset, limit)


async def outlet_counts(db: AsyncSession, product_ids: Sequence[int]) -> dict[int, int]:
    query = (
        select(col(ProductOutlet.product_id), func.count())
        .where(col(ProductOutlet.product_id).in_(list(product_ids)))
        .group_by(col(ProductOutlet.product_id))
    )
    return {product_id: count for product_id, count in await db.execute(query)}
