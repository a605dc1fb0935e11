"""Query fields `ocopProducts` and `ocopProduct`, and the mutations on OCOP products."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.network import products
from models.queries import places
from models.queries.products import ProductSearch, count_products, find_products
from models.tables import Product as ProductRow
from resolvers.context import Context, Info
from resolvers.mutation import mutation
from resolvers.tours import MAX_SEARCH_LENGTH, near_circle
from schema.arguments import After, First, Slug
from schema.errors import bad_input
from schema.ids import decode_id_of
from schema.inputs import ProductFilter
from schema.network_inputs import RegisterOcopProductInput, SetProductSoldAtInput, UpdateOcopProductInput
from schema.pagination import Connection, connection, page_args
from schema.permissions import require_center_staff, require_role
from schema.types.network_results import (
    RegisterOcopProductSuccess,
    SetProductSoldAtSuccess,
    UpdateOcopProductSuccess,
)
from schema.types.product import OcopProduct


def product_search(f: ProductFilter | None) -> ProductSearch:
    """Check a ProductFilter and turn it into the domain's search."""
    if f is None:
        return ProductSearch()
    if f.search is not None and len(f.search) > MAX_SEARCH_LENGTH:
        raise bad_input(f"filter.search: at most {MAX_SEARCH_LENGTH} characters")
    return ProductSearch(
        search=f.search,
        min_stars=f.min_stars,
        district_slug=f.district_slug,
        village_slug=f.village_slug,
        craft=f.craft,
        product_group=f.product_group,
        sold_at_center_slug=f.sold_at_center_slug,
        near=near_circle(f.near) if f.near else None,
    )


async def ocop_products(
    info: Info,
    filter: Annotated[ProductFilter | None, strawberry.argument(description="Criteria, combined with AND.")] = None,
    first: First = None,
    after: After = None,
) -> Connection[OcopProduct]:
    return await product_page(info.context, filter, first, after)


async def product_page(
    context: Context, filter: ProductFilter | None, first: int | None, after: str | None
) -> Connection[OcopProduct]:
    page = page_args(first, after)
    search = product_search(filter)
    sessions = context.sessions
    async with sessions() as db:
        rows = await find_products(db, search, page.offset, page.probe)

    async def count() -> int:
        async with sessions() as db:
            return await count_products(db, search)

    return connection([OcopProduct.from_row(r) for r in rows], page, count)


async def ocop_product(info: Info, slug: Slug) -> OcopProduct | None:
    return await product_by_slug(info.context, slug)


async def product_by_slug(context: Context, slug: str) -> OcopProduct | None:
    async with context.sessions() as db:
        row = await places.by_slug(db, ProductRow, slug)
    return OcopProduct.from_row(row) if row else None


def _facts(data: RegisterOcopProductInput | UpdateOcopProductInput) -> products.ProductFacts:
    return products.ProductFacts(data.name, data.producer, data.stars, data.product_group, data.certified_on)


@mutation
async def register_ocop_product(
    info: Info, input: Annotated[RegisterOcopProductInput, strawberry.argument(description="The new product.")]
) -> RegisterOcopProductSuccess:
    context = info.context
    admin = require_role(context, "ADMIN")
    centers = [decode_id_of(i, "Center", "soldAtCenterIds") for i in input.sold_at_center_ids or []]
    row = await products.register_product(
        context.sessions, admin, _facts(input), input.village_slug, input.district_slug, centers, context.now
    )
    return RegisterOcopProductSuccess(product=OcopProduct.from_row(row))


@mutation
async def update_ocop_product(
    info: Info, input: Annotated[UpdateOcopProductInput, strawberry.argument(description="What to change.")]
) -> UpdateOcopProductSuccess:
    context = info.context
    admin = require_role(context, "ADMIN")
    product_id = decode_id_of(input.product_id, "OcopProduct", "productId")
    row = await products.update_product(context.sessions, admin, product_id, _facts(input), context.now)
    return UpdateOcopProductSuccess(product=OcopProduct.from_row(row))


@mutation
async def set_product_sold_at(
    info: Info, input: Annotated[SetProductSoldAtInput, strawberry.argument(description="Which product, where.")]
) -> SetProductSoldAtSuccess:
    context = info.context
    principal = require_center_staff(context)
    product_id = decode_id_of(input.product_id, "OcopProduct", "productId")
    center_id = decode_id_of(input.center_id, "Center", "centerId")
    row = await products.set_sold_at(context.sessions, principal, product_id, center_id, input.sold, context.now)
    return SetProductSoldAtSuccess(product=OcopProduct.from_row(row))
