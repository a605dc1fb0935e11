"""DateTime as the contract wants it: ISO 8601 with an offset, out in Asia/Ho_Chi_Minh time.

A datetime without an offset is ambiguous for a booking made across time zones, so input
without one is refused rather than guessed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from models.timeutil import to_local

MIN_YEAR, MAX_YEAR = 1900, 2200


def serialize_datetime(value: datetime) -> str:
    return to_local(value).isoformat()


def parse_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ValueError("DateTime must be an ISO 8601 string with an offset, e.g. 2026-12-05T09:00:00+07:00")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 datetime") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError(f"{value!r} has no UTC offset; add one, e.g. +07:00")
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise ValueError(f"{value!r} is outside the years {MIN_YEAR}-{MAX_YEAR}")
    return parsed


DateTimeScalar = strawberry.scalar(
    name="DateTime",
    description="ISO 8601 date and time with a UTC offset; Craftway answers in +07:00 (Asia/Ho_Chi_Minh).",
    serialize=serialize_datetime,
    parse_value=parse_datetime,
)
