"""The units' boundaries as an inline SVG map, one <path> per unit, coloured by goal status.

Equirectangular projection with longitudes scaled by cos(21°), Hanoi's latitude, which keeps
shapes true at this size; coordinates are rounded to 0.1 of a viewBox about 1000 wide, which is
finer than a screen pixel and keeps the commune map near 300 KB.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

from models.coverage import CoverageReport, UnitCoverage
from models.units.boundaries import COMMUNE_BOUNDARIES, DISTRICT_BOUNDARIES, Boundary, Ring, boundaries
from web.coverage.columns import STATUS_LABELS, GoalStatus, unit_name

WIDTH = 1000.0
MARGIN = 4.0
X_SCALE = math.cos(math.radians(21.0))
STATUS_CLASSES: dict[GoalStatus, str] = {"MET": "met", "NOT_MET": "not-met", "NOT_REQUIRED": "not-required"}
# Patterns use no <path>, so every <path> on the page is a unit.
HATCH = (
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    '<rect width="6" height="6" fill="#ececec"/><line x1="0" y1="0" x2="0" y2="6" stroke="#8a8a8a" stroke-width="2"/>'
    "</pattern></defs>"
)


@dataclass(frozen=True, slots=True)
class Projection:
    min_lon: float
    max_lat: float
    scale: float  # viewBox units per degree of latitude
    height: float

    @classmethod
    def fitting(cls, shapes: Iterable[Boundary]) -> Projection:
        boxes = [b.box for b in shapes]
        min_lon, max_lon = min(b[0] for b in boxes), max(b[2] for b in boxes)
        min_lat, max_lat = min(b[1] for b in boxes), max(b[3] for b in boxes)
        scale = (WIDTH - 2 * MARGIN) / ((max_lon - min_lon) * X_SCALE)
        return cls(min_lon, max_lat, scale, round((max_lat - min_lat) * scale + 2 * MARGIN))

    def point(self, lon: float, lat: float) -> tuple[str, str]:
        x = MARGIN + (lon - self.min_lon) * X_SCALE * self.scale
        y = MARGIN + (self.max_lat - lat) * self.scale
        return _number(x), _number(y)


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _ring_data(ring: Ring, projection: Projection) -> str:
    points: list[tuple[str, str]] = []
    for lon, lat in ring:
        point = projection.point(lon, lat)
        if not points or point != points[-1]:  # neighbours that round to one point are one point
            points.append(point)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()  # Z closes the ring
    if len(points) < 3:
        return ""
    return "M" + " ".join(f"{x},{y}" for x, y in points) + "Z"


def path_data(boundary: Boundary, projection: Projection) -> str:
    return "".join(_ring_data(ring, projection) for polygon in boundary.polygons for ring in polygon)


def _title(row: UnitCoverage) -> str:
    required = row.new_showrooms_required
    showrooms = f"{row.new_showrooms} new showrooms" + (f" of {required} required" if required is not None else "")
    design = f"{row.design_centers} design centers" + (", 1 required" if row.design_center_required else "")
    return f"{unit_name(row.unit)} ({row.unit.code}): {showrooms}; {design}; goal {STATUS_LABELS[row.goal_status]}"


def map_label(report: CoverageReport) -> str:
    counts = Counter(r.goal_status for r in report.rows)
    units = "districts" if report.level == "DISTRICT" else "communes and wards"
    summary = ", ".join(f"{counts[status]} {label}" for status, label in STATUS_LABELS.items())
    return f"Map of Hanoi's {len(report.rows)} {units} by goal status in {report.year}: {summary}"


@cache
def outlines(file: Path) -> tuple[float, dict[str, str]]:
    """The map's height and each unit's path data, projected once per process like the boundaries."""
    shapes = boundaries(file)
    projection = Projection.fitting(shapes.values())
    return projection.height, {code: path_data(shape, projection) for code, shape in shapes.items()}


def coverage_map(report: CoverageReport) -> str:
    """The map; a unit without a known boundary is left out of it (the table still lists it)."""
    height, paths = outlines(DISTRICT_BOUNDARIES if report.level == "DISTRICT" else COMMUNE_BOUNDARIES)
    parts = [
        f'<svg class="map" viewBox="0 0 {_number(WIDTH)} {_number(height)}" role="img" '
        f'aria-label="{escape(map_label(report))}">',
        HATCH,
    ]
    for row in report.rows:
        data = paths.get(row.unit.code)
        if data is None:
            continue
        parts.append(
            f'<path data-code="{escape(row.unit.code)}" class="{STATUS_CLASSES[row.goal_status]}" '
            f'd="{data}"><title>{escape(_title(row))}</title></path>'
        )
    parts.append("</svg>")
    return "".join(parts)
