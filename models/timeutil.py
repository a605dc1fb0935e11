"""Time rules: UTC in storage, Asia/Ho_Chi_Minh for people, and an injectable clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, Dialect
from sqlalchemy.types import TypeDecorator

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_TZ)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in and out; stored as UTC (naive UTC text on SQLite, timestamptz on PG).

    SQLite has no time-zone type, so values go in as naive UTC and come back marked UTC again;
    the fixed text format keeps SQLite's string comparisons in time order.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; Craftway stores aware UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
