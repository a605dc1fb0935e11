"""Craft villages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from models import tables
from models.language import in_language
from schema.arguments import After, First
from schema.ids import encode_id
from schema.pagination import Connection
from schema.types.commune import Commune, placed_commune
from schema.types.enums import Confidence
from schema.types.node import GeoPoint, Node, geo_point
from schema.types.place import Craft, District

if TYPE_CHECKING:
    from resolvers.context import Context
    from schema.types.tour import Tour


@strawberry.type(description="A craft village (làng nghề).")
class CraftVillage(Node):
    row: strawberry.Private[tables.Village]
    slug: str = strawberry.field(description="Lower-case ASCII name for URLs, e.g. ngu-xa.")
    name: str = strawberry.field(description="Name with diacritics, e.g. Làng Ngũ Xã.")
    name_en: str | None = strawberry.field(description="English name.")
    location: GeoPoint | None = strawberry.field(description="Approximate location; see locationConfidence.")
    location_confidence: Confidence | None = strawberry.field(
        description="How sure the location is; village points are estimated to within 1-2 km."
    )

    @classmethod
    def from_row(cls, row: tables.Village) -> CraftVillage:
        assert row.id is not None
        confidence = Confidence(row.location_confidence) if row.location_confidence else None
        return cls(
            row=row,
            id=strawberry.ID(encode_id("CraftVillage", row.id)),
            slug=row.slug,
            name=row.name,
            name_en=row.name_en,
            location=geo_point(row.lat, row.lon),
            location_confidence=confidence,
        )

    @strawberry.field(description="One-line description in the request's language, else in the other one.")
    def description(self, info: strawberry.Info[Context, None]) -> str | None:
        return in_language(info.context.language, self.row.description, self.row.description_en)

    @strawberry.field(description="The village's craft.")
    async def craft(self, info: strawberry.Info[Context, None]) -> Craft:
        return Craft.from_row(await info.context.loaders.craft.load(self.row.craft_id), info.context.language)

    @strawberry.field(description="The district-level unit the village lies in (2023 boundaries).")
    async def district(self, info: strawberry.Info[Context, None]) -> District:
        return District.from_row(await info.context.loaders.district.load(self.row.district_id))

    @strawberry.field(description="The 2025 commune or ward the village lies in; null if it could not be placed.")
    async def commune(self, info: strawberry.Info[Context, None]) -> Commune | None:
        return placed_commune(await info.context.loaders.commune_of_village.load(self.row.pk))

    @strawberry.field(description="Tours hosted in this village.")
    async def tours(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
    ) -> Connection[Annotated[Tour, strawberry.lazy("schema.types.tour")]]:
        from schema.types.tour import tours_of

        return await tours_of(info.context, "village_id", self.row.pk, first, after)
