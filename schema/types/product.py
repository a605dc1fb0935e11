"""OCOP-rated products and the centers that sell them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import tables
from schema.arguments import After, First
from schema.ids import encode_id
from schema.pagination import Connection, connection, page_args
from schema.types.enums import Confidence
from schema.types.node import Node
from schema.types.place import District

if TYPE_CHECKING:
    from resolvers.context import Context
    from schema.types.center import Center
    from schema.types.village import CraftVillage


@strawberry.type(description="A product rated under the One Commune One Product programme (3 to 5 stars).")
class OcopProduct(Node):
    row: strawberry.Private[tables.Product]
    slug: str = strawberry.field(description="Lower-case ASCII id for URLs, from the name.")
    name: str = strawberry.field(description="Name as rated, usually Vietnamese.")
    producer: str = strawberry.field(description="The business or cooperative that makes it.")
    stars: int = strawberry.field(description="OCOP rating, 3 to 5 stars.")
    product_group: str | None = strawberry.field(description="Group, e.g. handicraft, textile, food.")
    certified_on: date | None = strawberry.field(description="Day of the rating where known.")
    confidence: Confidence = strawberry.field(description="How sure this record is.")

    @classmethod
    def from_row(cls, row: tables.Product) -> OcopProduct:
        return cls(
            row=row,
            id=strawberry.ID(encode_id("OcopProduct", row.pk)),
            slug=row.slug,
            name=row.name,
            producer=row.producer,
            stars=row.stars,
            product_group=row.product_group,
            certified_on=row.certified_on,
            confidence=Confidence(row.confidence),
        )

    @strawberry.field(description="The craft village it comes from, if any.")
    async def village(
        self, info: strawberry.Info[Context, None]
    ) -> Annotated[CraftVillage, strawberry.lazy("schema.types.village")] | None:
        from schema.types.village import CraftVillage

        if self.row.village_id is None:
            return None
        return CraftVillage.from_row(await info.context.loaders.village.load(self.row.village_id))

    @strawberry.field(description="The district-level unit it comes from, if known.")
    async def district(self, info: strawberry.Info[Context, None]) -> District | None:
        if self.row.district_id is None:
            return None
        return District.from_row(await info.context.loaders.district.load(self.row.district_id))

    @strawberry.field(description="The showrooms and centers that sell it.")
    async def sold_at(
        self, info: strawberry.Info[Context, None], first: First = None, after: After = None
    ) -> Connection[Annotated[Center, strawberry.lazy("schema.types.center")]]:
        return await outlets_of_product(info.context, self.row.pk, first, after)


async def outlets_of_product(
    context: Context, product_id: int, first: int | None, after: str | None
) -> Connection[Center]:
    """A page of the centers that sell a product."""
    from schema.types.center import Center

    loaders = context.loaders
    page = page_args(first, after)
    rows = await loaders.outlet_pages.load(((page.offset, page.probe), product_id))
    return connection([Center.from_row(r) for r in rows], page, lambda: loaders.outlet_counts.load((None, product_id)))


async def products_of_center(
    context: Context, center_id: int, min_stars: int | None, first: int | None, after: str | None
) -> Connection[OcopProduct]:
    """A page of the products a center sells."""
    loaders = context.loaders
    page = page_args(first, after)
    rows = await loaders.product_pages.load(((min_stars, page.offset, page.probe), center_id))
    return connection(
        [OcopProduct.from_row(r) for r in rows], page, lambda: loaders.product_counts.load((min_stars, center_id))
    )
