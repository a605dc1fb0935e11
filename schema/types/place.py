"""Districts and crafts."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import tables
from models.language import in_language
from schema.ids import encode_id
from schema.types.enums import CenterKind, DistrictKind
from schema.types.node import GeoPoint, Node, geo_point

if TYPE_CHECKING:
    from resolvers.context import Context
    from schema.types.center import Center
    from schema.types.commune import Commune
    from schema.types.village import CraftVillage


@strawberry.type(description="A district-level unit of Hanoi (quận, huyện or thị xã) as of 2023.")
class District(Node):
    pk: strawberry.Private[int]
    code: str = strawberry.field(description="Official 3-digit GSO code, e.g. 001 for Ba Đình.")
    slug: str = strawberry.field(description="Lower-case ASCII name for URLs, e.g. ba-dinh.")
    name: str = strawberry.field(description="Name with diacritics, e.g. Ba Đình.")
    kind: DistrictKind = strawberry.field(description="Quận, huyện or thị xã.")
    location: GeoPoint | None = strawberry.field(description="Area-weighted centroid of the unit's boundary.")
    valid_until: date | None = strawberry.field(
        description="Last day the unit existed (the district level was abolished on 2025-07-01); null if current."
    )

    @classmethod
    def from_row(cls, row: tables.District) -> District:
        assert row.id is not None
        return cls(
            pk=row.id,
            id=strawberry.ID(encode_id("District", row.id)),
            code=row.code,
            slug=row.slug,
            name=row.name,
            kind=DistrictKind(row.kind),
            location=geo_point(row.lat, row.lon),
            valid_until=row.valid_until,
        )

    @strawberry.field(description="Craft villages in this unit.")
    async def villages(
        self, info: strawberry.Info[Context, None]
    ) -> list[Annotated[CraftVillage, strawberry.lazy("schema.types.village")]]:
        from schema.types.village import CraftVillage

        rows = await info.context.loaders.villages_by_district.load(self.pk)
        return [CraftVillage.from_row(r) for r in rows]

    @strawberry.field(description="Centers in this unit, optionally only those of one kind.")
    async def centers(
        self,
        info: strawberry.Info[Context, None],
        kind: Annotated[CenterKind | None, strawberry.argument(description="Only centers of this kind.")] = None,
    ) -> list[Annotated[Center, strawberry.lazy("schema.types.center")]]:
        from schema.types.center import Center

        rows = await info.context.loaders.centers_by_district.load(self.pk)
        return [Center.from_row(r) for r in rows if kind is None or r.kind == kind.value]

    @strawberry.field(description="The 2025 communes and wards formed (wholly or partly) from this unit, by code.")
    async def communes(
        self, info: strawberry.Info[Context, None]
    ) -> list[Annotated[Commune, strawberry.lazy("schema.types.commune")]]:
        from schema.types.commune import Commune

        rows = await info.context.loaders.communes_by_district.load(self.pk)
        return [Commune.from_row(r) for r in rows]


@strawberry.type(description="A traditional craft, e.g. Đúc đồng (bronze casting).")
class Craft:
    slug: str = strawberry.field(description="Lower-case ASCII name, e.g. duc-dong; TourFilter.craft accepts it.")
    name: str = strawberry.field(
        description="Name in the request's language (Vietnamese with diacritics, or English where known)."
    )
    name_en: str | None = strawberry.field(description="English name.")

    @classmethod
    def from_row(cls, row: tables.Craft, language: str) -> Craft:
        return cls(slug=row.slug, name=in_language(language, row.name, row.name_en) or row.name, name_en=row.name_en)
