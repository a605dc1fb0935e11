"""The planner's SQLite statements write +07:00 datetimes with a function of their own (seven
hours added since the offset became steady); they must be the DateTime scalar's text exactly,
for every stored value."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

from models.timeutil import UTCDateTime
from resolvers.planner.sql.dialect import SqliteSql
from resolvers.planner.sql.sqlite_functions import FUNCTIONS
from schema.scalars import serialize_datetime

_CONNECTION = sqlite3.connect(":memory:")
for _name, (_arity, _function) in FUNCTIONS.items():
    _CONNECTION.create_function(_name, _arity, _function)
_RENDER = "SELECT " + SqliteSql().local_datetime("?1")


def _stored(moment: datetime) -> str:
    """The text SQLAlchemy stores for `moment` in a UTCDateTime column on SQLite."""
    dialect = SQLiteDialect_pysqlite()
    column_type = UTCDateTime()
    write = column_type.dialect_impl(dialect).bind_processor(dialect)
    assert write is not None
    return str(write(moment))  # the decorator makes it naive UTC, then SQLite writes its text


@settings(max_examples=2_000, deadline=None)
@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9998, 12, 31), timezones=st.just(UTC)))
def test_sql_datetimes_read_as_the_scalar_writes_them(moment: datetime) -> None:
    stored = _stored(moment)
    assert _CONNECTION.execute(_RENDER, (stored,)).fetchone()[0] == serialize_datetime(moment), stored


def test_null_stays_null() -> None:
    assert _CONNECTION.execute(_RENDER, (None,)).fetchone()[0] is None
