"""Tours near a point, in SQL that gives the same distances, bit for bit, as models/geo.py: on
PostgreSQL the same haversine with the same operations in the same order, on the same C maths
library, with the constants sent as binary parameters (on SQLite models/geo.py itself); so the
same tours are in the circle, in the same order (nearest first, then catalogue order)."""

from __future__ import annotations

import math
from collections.abc import Callable

from models.geo import EARTH_RADIUS_KM, bounding_box
from models.queries.tours import Near
from resolvers.planner.sql.compiler import Compiler
from resolvers.planner.sql.connections import Rows


def distance_sql(c: Compiler, near: Near, lat_sql: str, lon_sql: str) -> str:
    """models/geo.distance_km from the circle's centre to (lat_sql, lon_sql). On SQLite the
    function itself is registered on the connection (resolvers/planner/sql/sqlite_functions.py)."""
    add = c.params.add
    if c.sql.name == "sqlite":
        return f"craftway_distance({add(near.lat, 'float8')}, {add(near.lon, 'float8')}, {lat_sql}, {lon_sql})"
    per_degree = add(math.pi / 180.0, "float8")
    phi1 = f"({add(near.lat, 'float8')} * {per_degree})"
    phi2 = f"({lat_sql} * {per_degree})"
    dlmb = f"(({lon_sql} - {add(near.lon, 'float8')}) * {per_degree})"
    half_dphi = f"sin(({phi2} - {phi1}) / 2)"
    half_dlmb = f"sin({dlmb} / 2)"
    a = f"(({half_dphi} * {half_dphi}) + ((cos({phi1}) * cos({phi2})) * ({half_dlmb} * {half_dlmb})))"
    return f"((2 * {add(EARTH_RADIUS_KM, 'float8')}) * asin(least(1.0::float8, sqrt({a}))))"


def tours_near(c: Compiler, near: Near, conditions: Callable[[str], list[str]]) -> Rows:
    """models/queries/tours._nearest_ids: matching tours within the circle, judged by their
    center's point, else their village's, else their district's centroid."""
    add = c.params.add
    min_lat, max_lat, min_lon, max_lon = bounding_box(near.lat, near.lon, near.radius_km)

    def within() -> str:
        t = c.alias("t")
        lat = "coalesce(ce.lat, vi.lat, di.lat)"
        lon = "coalesce(ce.lon, vi.lon, di.lon)"
        box = (
            f"{lat} BETWEEN {add(min_lat, 'float8')} AND {add(max_lat, 'float8')} "
            f"AND {lon} BETWEEN {add(min_lon, 'float8')} AND {add(max_lon, 'float8')}"
        )
        return (
            f"(SELECT {t}.*, {distance_sql(c, near, lat, lon)} AS distance FROM tour {t} "
            f"LEFT JOIN center ce ON ce.id = {t}.center_id LEFT JOIN village vi ON vi.id = {t}.village_id "
            f"JOIN district di ON di.id = {t}.district_id WHERE {' AND '.join([*conditions(t), box])})"
        )

    x = c.alias("n")
    radius = add(near.radius_km, "float8")

    def count() -> str:
        counted = c.alias("n")
        return f"SELECT count(*) FROM {within()} {counted} WHERE {counted}.distance <= {radius}"

    return Rows(
        table=within(),
        row=x,
        where=f"{x}.distance <= {radius}",
        order=("{r}.distance", "{r}.id"),
        count=count,
        counted_with_page=True,
    )
