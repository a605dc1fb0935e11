"""Which 2025 unit a place lies in, decided from the best thing known about it.

In order: a 2025 commune the researched data names; a 2023 commune that went whole into one new
unit; the place's coordinates inside a unit's boundary. A center with none of these lies where
its village lies. `placed_by` keeps which rule decided, so a planner can tell a placement read
off an official merger from one worked out from estimated coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.units.boundaries import COMMUNE_BOUNDARIES, unit_at
from models.units.records import successor_of

BY_COMMUNE = "COMMUNE"
BY_COORDINATES = "COORDINATES"
BY_VILLAGE = "VILLAGE"
GIVEN = "GIVEN"  # named by whoever registered the place


@dataclass(frozen=True, slots=True)
class Placement:
    commune_code: str
    placed_by: str


def place(
    district_code: str,
    commune_2025_code: str | None,
    commune_2023: str | None,
    lat: float | None,
    lon: float | None,
) -> Placement | None:
    if commune_2025_code:
        return Placement(commune_2025_code, BY_COMMUNE)
    successor = successor_of(district_code, commune_2023) if commune_2023 else None
    if successor:
        return Placement(successor, BY_COMMUNE)
    return by_coordinates(lat, lon)


def by_coordinates(lat: float | None, lon: float | None) -> Placement | None:
    if lat is None or lon is None:
        return None
    code = unit_at(COMMUNE_BOUNDARIES, lat, lon)
    return Placement(code, BY_COORDINATES) if code else None
