"""Inputs of the mutations that run the network: centers (and later tours and products)."""

from __future__ import annotations

from datetime import date

import strawberry

from schema.types.enums import CenterKind


@strawberry.input(description="A point on the map in WGS 84 degrees.")
class GeoPointInput:
    lat: float = strawberry.field(description="Latitude, -90 to 90.")
    lon: float = strawberry.field(description="Longitude, -180 to 180.")


@strawberry.input(description="A new OCOP showroom or design center.")
class RegisterCenterInput:
    kind: CenterKind = strawberry.field(description="Showroom or design center.")
    name: str = strawberry.field(description="Official name in Vietnamese, 1-300 characters; the slug is made from it.")
    district_slug: str = strawberry.field(description="The district-level unit it lies in, e.g. gia-lam.")
    village_slug: str | None = strawberry.field(default=None, description="The craft village it belongs to, if any.")
    address: str | None = strawberry.field(default=None, description="Street address, up to 300 characters.")
    location: GeoPointInput | None = strawberry.field(default=None, description="Where it is.")
    opened_on: date | None = strawberry.field(
        default=None, description="Opening day; coverage counts the center from that day (a future day included)."
    )


@strawberry.input(description="Changes to a center; omitted fields stay as they are.")
class UpdateCenterInput:
    center_id: strawberry.ID = strawberry.field(description="Global id of the center.")
    name: str | None = strawberry.field(default=None, description="New name (staff of the center may change it).")
    address: str | None = strawberry.field(default=None, description="New address (staff may change it).")
    location: GeoPointInput | None = strawberry.field(default=None, description="New location (staff may change it).")
    opened_on: date | None = strawberry.field(default=None, description="Opening day; ADMIN only.")
    closed_on: date | None = strawberry.field(
        default=None, description="Closing day, not before openedOn; ADMIN only. It stops counting from that day."
    )
