"""OCOP showrooms and design centers."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import tables
from schema.arguments import After, First
from schema.ids import encode_id
from schema.pagination import Connection
from schema.types.commune import Commune, placed_commune
from schema.types.enums import CenterKind, Confidence
from schema.types.node import GeoPoint, Node, geo_point
from schema.types.place import District
from schema.urls import absolute_url

if TYPE_CHECKING:
    from resolvers.context import Context
    from schema.types.product import OcopProduct
    from schema.types.tour import Tour
    from schema.types.village import CraftVillage


@strawberry.type(description="An OCOP showroom or a design-creative center.")
class Center(Node):
    row: strawberry.Private[tables.Center]
    slug: str = strawberry.field(description="Lower-case ASCII id for URLs.")
    name: str = strawberry.field(description="Official name with diacritics.")
    kind: CenterKind = strawberry.field(description="Showroom or design center.")
    address: str | None = strawberry.field(description="Street address where known.")
    opened_on: date | None = strawberry.field(description="Opening (or recognition) date where known.")
    opened_on_confidence: Confidence | None = strawberry.field(description="How sure openedOn is.")
    closed_on: date | None = strawberry.field(
        description="The day the center closed; it stops counting in coverage from that day."
    )
    location: GeoPoint | None = strawberry.field(description="Location where known.")
    note: str | None = strawberry.field(description="Caveats about this record.")

    @classmethod
    def from_row(cls, row: tables.Center) -> Center:
        assert row.id is not None
        confidence = Confidence(row.opened_on_confidence) if row.opened_on_confidence else None
        return cls(
            row=row,
            id=strawberry.ID(encode_id("Center", row.id)),
            slug=row.slug,
            name=row.name,
            kind=CenterKind(row.kind),
            address=row.address,
            opened_on=row.opened_on,
            opened_on_confidence=confidence,
            closed_on=row.closed_on,
            location=geo_point(row.lat, row.lon),
            note=row.note,
        )

    @strawberry.field(description="The district-level unit of the center.")
    async def district(self, info: strawberry.Info[Context, None]) -> District:
        return District.from_row(await info.context.loaders.district.load(self.row.district_id))

    @strawberry.field(description="The 2025 commune or ward the center lies in; null if it could not be placed.")
    async def commune(self, info: strawberry.Info[Context, None]) -> Commune | None:
        return placed_commune(await info.context.loaders.commune_of_center.load(self.row.pk))

    @strawberry.field(description="The craft village the center belongs to, if any.")
    async def village(
        self, info: strawberry.Info[Context, None]
    ) -> Annotated[CraftVillage, strawberry.lazy("schema.types.village")] | None:
        from schema.types.village import CraftVillage

        if self.row.village_id is None:
            return None
        return CraftVillage.from_row(await info.context.loaders.village.load(self.row.village_id))

    @strawberry.field(description="Tours hosted at this center.")
    async def tours(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
    ) -> Connection[Annotated[Tour, strawberry.lazy("schema.types.tour")]]:
        from schema.types.tour import tours_of

        return await tours_of(info.context, "center_id", self.row.pk, first, after)

    @strawberry.field(description="OCOP products the center sells, most stars first.")
    async def products(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        min_stars: Annotated[
            int | None, strawberry.argument(description="Only products with this many stars or more.")
        ] = None,
    ) -> Connection[Annotated[OcopProduct, strawberry.lazy("schema.types.product")]]:
        from schema.types.product import products_of_center

        return await products_of_center(info.context, self.row.pk, min_stars, first, after)

    @strawberry.field(description="Public iCalendar (.ics) feed of the center's sessions, to subscribe to.")
    def calendar_url(self, info: strawberry.Info[Context, None]) -> str:
        return center_calendar_url(self.row, info.context.base_url)


def center_calendar_url(row: tables.Center, base_url: str) -> str:
    return absolute_url(base_url, f"/calendar/centers/{row.slug}.ics")
