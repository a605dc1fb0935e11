"""Unit boundaries from the shipped GeoJSON files, and which unit a point lies in.

The files are small (30 districts, 126 communes, about 30,000 vertices in all), so they are read
once per process and tested with a plain even-odd ray cast behind a bounding-box check; no GIS
library is needed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

UNITS_DIR = Path(__file__).resolve().parent.parent / "seed" / "units"
COMMUNE_BOUNDARIES = UNITS_DIR / "hanoi_2025_units.geojson"
DISTRICT_BOUNDARIES = UNITS_DIR / "hanoi_districts_2023.geojson"

Ring = list[tuple[float, float]]  # (lon, lat) pairs, as GeoJSON orders them


@dataclass(frozen=True, slots=True)
class Boundary:
    """One unit's outline: every ring of every polygon (outer rings and holes alike)."""

    code: str
    polygons: tuple[tuple[Ring, ...], ...]
    box: tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat

    def contains(self, lat: float, lon: float) -> bool:
        min_lon, min_lat, max_lon, max_lat = self.box
        if not (min_lon <= lon <= max_lon and min_lat <= lat <= max_lat):
            return False
        return any(_inside(polygon, lon, lat) for polygon in self.polygons)

    def centroid(self) -> tuple[float, float]:
        """Area-weighted centroid (lat, lon): outer rings add their area, holes take theirs away,
        whichever way the data winds them."""
        area_sum = x_sum = y_sum = 0.0
        for polygon in self.polygons:
            for index, ring in enumerate(polygon):
                area, x, y = _ring_moments(ring)
                sign = (1.0 if area > 0 else -1.0) * (1.0 if index == 0 else -1.0)
                area_sum, x_sum, y_sum = area_sum + sign * area, x_sum + sign * x, y_sum + sign * y
        return y_sum / area_sum, x_sum / area_sum


def _inside(polygon: tuple[Ring, ...], x: float, y: float) -> bool:
    """Even-odd rule over all rings, so a point in a hole is outside."""
    inside = False
    for ring in polygon:
        j = len(ring) - 1
        for i in range(len(ring)):
            xi, yi = ring[i]
            xj, yj = ring[j]
            if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                inside = not inside
            j = i
    return inside


def _ring_moments(ring: Ring) -> tuple[float, float, float]:
    """Signed area and first moments of a ring (the shoelace formula)."""
    area = x = y = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        x += (x0 + x1) * cross
        y += (y0 + y1) * cross
    return area / 2, x / 6, y / 6


def _boundary(feature: dict[str, object]) -> Boundary:
    geometry = feature["geometry"]
    assert isinstance(geometry, dict)
    coordinates = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    polygons = tuple(tuple([(float(p[0]), float(p[1])) for p in ring] for ring in polygon) for polygon in coordinates)
    points = [p for polygon in polygons for ring in polygon for p in ring]
    box = (min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points), max(p[1] for p in points))
    properties = feature["properties"]
    assert isinstance(properties, dict)
    return Boundary(code=str(properties["code"]), polygons=polygons, box=box)


@cache
def boundaries(path: Path) -> dict[str, Boundary]:
    """Boundaries by unit code, read once per process."""
    with path.open(encoding="utf-8") as handle:
        collection = json.load(handle)
    return {b.code: b for b in map(_boundary, collection["features"])}


def unit_at(path: Path, lat: float, lon: float) -> str | None:
    """The code of the unit whose boundary holds the point, or None outside them all."""
    return next((code for code, b in boundaries(path).items() if b.contains(lat, lon)), None)
