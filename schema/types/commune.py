"""The communes and wards of the 2025 reform."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import strawberry

from models import tables
from schema.ids import encode_id
from schema.types.enums import CommuneKind
from schema.types.node import GeoPoint, Node, geo_point
from schema.types.place import District

if TYPE_CHECKING:
    from resolvers.context import Context


@strawberry.type(description="A commune-level unit of Hanoi (phường or xã) since the 2025 reform, 126 in all.")
class Commune(Node):
    row: strawberry.Private[tables.Commune]
    code: str = strawberry.field(description="Official 5-digit GSO code, e.g. 00004 for Phường Ba Đình.")
    slug: str = strawberry.field(description="Lower-case ASCII name for URLs, e.g. ba-dinh.")
    name: str = strawberry.field(description="Name with diacritics, without its kind, e.g. Ba Đình.")
    full_name: str = strawberry.field(description="Name with its kind, e.g. Phường Ba Đình.")
    kind: CommuneKind = strawberry.field(description="Phường or xã.")
    valid_from: date = strawberry.field(description="First day the unit existed: 2025-07-01 for the reform's units.")
    location: GeoPoint | None = strawberry.field(description="Area-weighted centroid of the unit's boundary.")

    @classmethod
    def from_row(cls, row: tables.Commune) -> Commune:
        return cls(
            row=row,
            id=strawberry.ID(encode_id("Commune", row.pk)),
            code=row.code,
            slug=row.slug,
            name=row.name,
            full_name=row.full_name,
            kind=CommuneKind(row.kind),
            valid_from=row.valid_from,
            location=geo_point(row.lat, row.lon),
        )

    @strawberry.field(description="The 2023 districts its territory came from (more than one for 65 of the 126).")
    async def formed_from(self, info: strawberry.Info[Context, None]) -> list[District]:
        rows = await info.context.loaders.districts_by_commune.load(self.row.pk)
        return [District.from_row(r) for r in rows]


def placed_commune(rows: list[tables.Commune]) -> Commune | None:
    """The commune a placement loader found for a village or center; None for one never placed."""
    return Commune.from_row(rows[0]) if rows else None
