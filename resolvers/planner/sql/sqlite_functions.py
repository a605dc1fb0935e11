"""Functions the planner's SQLite statements call, registered on each connection the first time
a statement runs on it. Each calls the Python code the generic executor answers with, so the
values are the same by construction: global ids, cursors, +07:00 datetimes, floats written to
round-trip, tour languages and haversine distances."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

import orjson

from models.driver_reads import DriverReads
from models.geo import distance_km
from models.global_ids import encode_id
from models.tables.tour import split_languages
from resolvers.planner.sql.snippets import STEADY_OFFSET_SINCE
from schema.pagination import encode_cursor
from schema.scalars import serialize_datetime

_REGISTERED = "craftway_planner_functions"
_STEADY_SINCE = STEADY_OFFSET_SINCE.replace(tzinfo=None)
_HANOI_OFFSET = timedelta(hours=7)
# The functions called for every id and datetime of an answer keep what they recently wrote:
# readers ask for the same upcoming sessions again and again, and a hit is a dict look-up where
# writing the value anew costs a few microseconds, for each of a page's hundreds of values.
_remembered = lru_cache(maxsize=16_384)


class RequiredValueMissing(Exception):
    """A value the schema says is never null is null in the data: the statement fails, and the
    generic executor answers with its error."""


@_remembered
def _global_id(type_name: str, pk: int | None) -> str | None:
    return None if pk is None else encode_id(type_name, pk)


def _cursor(position: int | None) -> str | None:
    return None if position is None else encode_cursor(position)


@_remembered
def _local_datetime(stored: str | None) -> str | None:
    """A models/timeutil.UTCDateTime value (naive UTC text) as the DateTime scalar writes it.
    Called for every datetime of an answer: since STEADY_OFFSET_SINCE, +07:00 is seven hours
    added, with no time-zone look-up."""
    if stored is None:
        return None
    moment = datetime.fromisoformat(stored)
    if moment.tzinfo is None and moment >= _STEADY_SINCE:
        return (moment + _HANOI_OFFSET).isoformat() + "+07:00"
    return serialize_datetime(moment.replace(tzinfo=UTC))


def _float(value: float | None) -> str | None:
    """JSON text that reads back as exactly this double (SQLite's own writes 15 digits)."""
    return None if value is None else orjson.dumps(float(value)).decode()


@_remembered
def _languages(stored: str | None) -> str | None:
    return None if stored is None else orjson.dumps(split_languages(stored)).decode()


def _fail(row_id: Any) -> None:
    raise RequiredValueMissing(f"a required value is missing in row {row_id}")


def _distance(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return distance_km(lat1, lon1, lat2, lon2)  # a missing point fails the statement, as it fails Python


FUNCTIONS: dict[str, tuple[int, Callable[..., Any]]] = {
    "craftway_global_id": (2, _global_id),
    "craftway_cursor": (1, _cursor),
    "craftway_local_datetime": (1, _local_datetime),
    "craftway_float": (1, _float),
    "craftway_languages": (1, _languages),
    "craftway_fail": (1, _fail),
    "craftway_distance": (4, _distance),
}


async def register_functions(reads: DriverReads) -> None:
    """Once per connection (`info` lives as long as the connection does)."""
    if reads.info.get(_REGISTERED):
        return
    for name, (arity, function) in FUNCTIONS.items():
        # craftway_fail is not deterministic, so SQLite never evaluates it ahead of need
        await reads.create_function(name, arity, function, deterministic=name != "craftway_fail")
    reads.info[_REGISTERED] = True
