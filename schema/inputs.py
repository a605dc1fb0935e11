"""Input types of the read API."""

from __future__ import annotations

from datetime import datetime

import strawberry


@strawberry.input(description="A circle on the map: tours within radiusKm of the point, nearest first.")
class GeoNear:
    lat: float = strawberry.field(description="Latitude in degrees, -90 to 90.")
    lon: float = strawberry.field(description="Longitude in degrees, -180 to 180.")
    radius_km: float = strawberry.field(description="Radius in kilometres, above 0 and at most 20,000.")


@strawberry.input(description="Criteria for tours; all given criteria must hold (AND).")
class TourFilter:
    district_slug: str | None = strawberry.field(default=None, description="Tours in this district.")
    village_slug: str | None = strawberry.field(default=None, description="Tours hosted in or visiting this village.")
    center_slug: str | None = strawberry.field(default=None, description="Tours hosted at this center.")
    craft: str | None = strawberry.field(
        default=None, description="A craft's slug or name, with or without diacritics (duc-dong, Đúc đồng)."
    )
    search: str | None = strawberry.field(
        default=None,
        description="Words in the title, village, craft or district; case- and diacritic-insensitive.",
    )
    starts_after: datetime | None = strawberry.field(
        default=None, description="Tours with a session starting after this."
    )
    starts_before: datetime | None = strawberry.field(
        default=None, description="Tours with a session starting before this."
    )
    min_seats: int | None = strawberry.field(
        default=None, description="Tours with a bookable session (in the window, if given) with this many seats left."
    )
    language: str | None = strawberry.field(default=None, description="Tours given in this language (e.g. en).")
    max_price_vnd: int | None = strawberry.field(default=None, description="Tours whose ADULT price is at most this.")
    near: GeoNear | None = strawberry.field(default=None, description="Tours within a radius; sorts nearest first.")


@strawberry.input(description="Criteria for OCOP products; all given criteria must hold (AND).")
class ProductFilter:
    search: str | None = strawberry.field(
        default=None, description="Words in the name, producer or village; case- and diacritic-insensitive."
    )
    min_stars: int | None = strawberry.field(default=None, description="Products with this many stars or more.")
    district_slug: str | None = strawberry.field(default=None, description="Products from this district.")
    village_slug: str | None = strawberry.field(default=None, description="Products from this craft village.")
    craft: str | None = strawberry.field(
        default=None, description="Products from villages of this craft (slug or name, with or without diacritics)."
    )
    product_group: str | None = strawberry.field(default=None, description="Products of this group, e.g. handicraft.")
    sold_at_center_slug: str | None = strawberry.field(default=None, description="Products sold at this center.")
    near: GeoNear | None = strawberry.field(
        default=None, description="Products sold at a center within the radius; nearest such center first."
    )
