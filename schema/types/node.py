"""The Relay Node interface and a small geographic point."""

from __future__ import annotations

import strawberry


@strawberry.interface(description="An object with an opaque global id, fetchable with `node(id:)`.")
class Node:
    id: strawberry.ID = strawberry.field(description="Opaque global id.")


@strawberry.type(description="A point on Earth in WGS 84 degrees.")
class GeoPoint:
    lat: float = strawberry.field(description="Latitude in degrees.")
    lon: float = strawberry.field(description="Longitude in degrees.")


def geo_point(lat: float | None, lon: float | None) -> GeoPoint | None:
    return GeoPoint(lat=lat, lon=lon) if lat is not None and lon is not None else None
