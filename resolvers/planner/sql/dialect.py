"""What differs between PostgreSQL's SQL and SQLite's for the planner's statements: parameters,
the JSON functions, ordered aggregation, booleans, and the values whose text must equal what
Python writes (ids, cursors, +07:00 datetimes, floats).

On PostgreSQL those values are written in SQL (resolvers/planner/sql/snippets.py). SQLite has
no base64, no time zones and prints floats to 15 digits, so there they are functions registered
on the connection (resolvers/planner/sql/sqlite_functions.py) that call the very Python code the
generic executor serializes with: equal by construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from resolvers.planner.sql import snippets


@dataclass(frozen=True, slots=True)
class PostgresSql:
    """PostgreSQL's SQL for what the dialects write differently."""

    name: str = "postgresql"

    def param(self, number: int, value: Any, cast: str) -> tuple[str, Any]:
        """The placeholder of the `number`th parameter, and the value to send for it."""
        return f"${number}::{cast}", value

    def json_object(self, pairs: str) -> str:
        return f"json_build_object({pairs})"

    def json_array(self, items: str) -> str:
        return f"json_build_array({items})"

    def json_list(self, item: str, rows: str, order: str) -> str:
        """A JSON array of `item` over `rows` ("table alias ... WHERE ..."), in `order`; [] for none."""
        return f"(SELECT coalesce(json_agg({item} ORDER BY {order}), '[]'::json) FROM {rows})"

    def page_items(self, item: str, order: str, shown: str | None) -> str:
        """The array of a page's `item`s, in `order`, where `shown` holds (None: every row)."""
        only = f" FILTER (WHERE {shown})" if shown is not None else ""
        return f"coalesce(json_agg({item} ORDER BY {order}){only}, '[]'::json)"

    def page_rows_order(self, order: str) -> str:
        """What ends the page's row source: PostgreSQL orders in the aggregate instead."""
        return ""

    def one_row(self, value: str, rows: str) -> str:
        """`value` over `rows` as one row, even where `rows` is empty and `value` aggregates nothing."""
        return f"(SELECT {value} FROM {rows} GROUP BY ())"

    def subquery(self, select: str) -> str:
        """A scalar subquery giving JSON, usable as a JSON value (SQLite keeps the JSON subtype
        through a scalar subquery, not through a derived table's column)."""
        return f"({select})"

    def null_json(self) -> str:
        return "NULL::json"

    def boolean(self, condition: str) -> str:
        """A JSON true/false from an SQL condition."""
        return condition

    def boolean_column(self, value: str) -> str:
        return value

    def greatest(self, a: str, b: str) -> str:
        return f"greatest({a}, {b})"

    def least(self, a: str, b: str) -> str:
        return f"least({a}, {b})"

    def global_id(self, type_name: str, pk: str) -> str:
        return snippets.global_id(type_name, pk)

    def cursor(self, position: str) -> str:
        return snippets.cursor(position)

    def local_datetime(self, moment: str) -> str:
        return snippets.local_datetime(moment)

    def local_date(self, date: str) -> str:
        return snippets.local_date(date)

    def json_float(self, value: str) -> str:
        return snippets.json_float(value)

    def required(self, value: str, row: str) -> str:
        return snippets.required(value, row)

    def word_list(self, text: str) -> str:
        """models/tables/tour.split_languages as a JSON array."""
        return f"to_json(array_remove(string_to_array({text}, ','), ''))"

    def lateral(self) -> bool:
        return True


def _sqlite_moment(value: datetime) -> str:
    """models/timeutil.UTCDateTime's stored text: naive UTC, always with microseconds."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


@dataclass(frozen=True, slots=True)
class SqliteSql(PostgresSql):
    """SQLite's (3.40 and newer: json_object, window functions, FILTER, math functions)."""

    name: str = "sqlite"

    def param(self, number: int, value: Any, cast: str) -> tuple[str, Any]:
        if cast == "timestamptz":
            value = _sqlite_moment(value)
        elif cast == "float8":
            value = float(value)
        return f"?{number}", value

    def json_object(self, pairs: str) -> str:
        return f"json_object({pairs})"

    def json_array(self, items: str) -> str:
        return f"json_array({items})"

    def json_list(self, item: str, rows: str, order: str) -> str:
        # No ORDER BY inside SQLite's aggregates (before 3.44): the rows come ordered from a
        # subquery, which SQLite never flattens into an aggregate query. A derived table's
        # column loses its JSON subtype, which json() gives back.
        return f"(SELECT json_group_array(json(v)) FROM (SELECT {item} AS v FROM {rows} ORDER BY {order}))"

    def page_items(self, item: str, order: str, shown: str | None) -> str:
        # In the order of the rows' source (page_rows_order); [] where no row is shown
        return f"json_group_array({item})" + (f" FILTER (WHERE {shown})" if shown is not None else "")

    def page_rows_order(self, order: str) -> str:
        return f" ORDER BY {order}"

    def one_row(self, value: str, rows: str) -> str:
        # min(0) makes the query an aggregate, so it has exactly one row; the object is never null.
        return f"(SELECT coalesce({value}, min(0)) FROM {rows})"

    def null_json(self) -> str:
        return "NULL"

    def boolean(self, condition: str) -> str:
        return f"json(CASE WHEN {condition} THEN 'true' ELSE 'false' END)"

    def boolean_column(self, value: str) -> str:
        return f"json(CASE WHEN {value} THEN 'true' WHEN {value} IS NOT NULL THEN 'false' END)"

    def greatest(self, a: str, b: str) -> str:
        return f"max({a}, {b})"

    def least(self, a: str, b: str) -> str:
        return f"min({a}, {b})"

    def global_id(self, type_name: str, pk: str) -> str:
        return f"craftway_global_id({snippets.literal(type_name)}, {pk})"

    def cursor(self, position: str) -> str:
        return f"craftway_cursor({position})"

    def local_datetime(self, moment: str) -> str:
        return f"craftway_local_datetime({moment})"

    def local_date(self, date: str) -> str:
        return date  # stored as YYYY-MM-DD text, which is what the API writes

    def json_float(self, value: str) -> str:
        return f"json(craftway_float({value}))"

    def required(self, value: str, row: str) -> str:
        return f"coalesce({value}, craftway_fail({row}.id))"

    def word_list(self, text: str) -> str:
        return f"json(craftway_languages({text}))"

    def lateral(self) -> bool:
        return False


Dialect = PostgresSql  # every dialect is PostgreSQL's with what differs overridden

POSTGRES = PostgresSql()
SQLITE = SqliteSql()
DIALECTS: dict[str, Dialect] = {"postgresql": POSTGRES, "sqlite": SQLITE}
