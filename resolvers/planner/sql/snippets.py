"""SQL text for values whose JSON must equal what the Python path serializes (PostgreSQL's;
SQLite's are in dialect.py): global ids, cursors, +07:00 datetimes, floats, texts in the
request's language. Every value a request supplies goes in as a numbered parameter, never into
the text."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

MAX_PAIRS = 50  # json_build_object takes at most 100 arguments (SQLite's json_object 127)
_KEY = re.compile(r"^[_A-Za-z][_0-9A-Za-z]*$")

# Asia/Ho_Chi_Minh has kept +07:00 since this moment; before it the offset was another, so
# a datetime from earlier makes the statement fail and the Python path answers instead.
STEADY_OFFSET_SINCE = datetime(1975, 6, 13, 16, tzinfo=UTC)


class CannotCompile(Exception):
    """The field needs something only the Python runner does."""


class Params:
    """The statement's parameters, numbered in the order the text asks for them, written and
    converted as `dialect` wants them (resolvers/planner/sql/dialect.py)."""

    def __init__(self, dialect: Any) -> None:
        self.values: list[Any] = []  # as sent
        self.given: list[tuple[Any, str]] = []  # as given, with their casts
        self.dialect = dialect

    def add(self, value: Any, cast: str) -> str:
        placeholder, bound = self.dialect.param(len(self.values) + 1, value, cast)
        self.values.append(bound)
        self.given.append((value, cast))
        return placeholder


def literal(text: str) -> str:
    """A string literal of the project's own text (type names, keys), never a client's value."""
    assert "'" not in text and "\\" not in text
    return f"'{text}'"


def json_pairs(pairs: list[tuple[str, str]]) -> str:
    """The arguments of a JSON object function: key, value, key, value..."""
    if len(pairs) > MAX_PAIRS:
        raise CannotCompile(f"{len(pairs)} keys in one object")
    for key, _ in pairs:
        if not _KEY.match(key):
            raise CannotCompile(f"key {key!r}")
    return ", ".join(f"'{k}', {v}" for k, v in pairs)


def _base64(text_sql: str) -> str:
    return f"translate(encode(convert_to({text_sql}, 'UTF8'), 'base64'), '+/', '-_')"


@lru_cache(maxsize=4096)  # pure, and asked for again by every request of a shape
def global_id(type_name: str, pk_sql: str) -> str:
    """models/global_ids.encode_id: URL-safe base64 of "Type:pk" without padding."""
    prefix = literal(f"{type_name}:")
    return f"rtrim({_base64(f'{prefix} || {pk_sql}')}, '=')"


@lru_cache(maxsize=4096)  # pure, and asked for again by every request of a shape
def cursor(position_sql: str) -> str:
    """schema/pagination.encode_cursor: URL-safe base64 of "cw1:position" with padding."""
    return _base64(f"'cw1:' || ({position_sql})")


@lru_cache(maxsize=4096)  # pure, and asked for again by every request of a shape
def local_datetime(moment_sql: str) -> str:
    """schema/scalars.serialize_datetime: ISO 8601 in +07:00, microseconds only when present."""
    local = f"({moment_sql}) AT TIME ZONE 'Asia/Ho_Chi_Minh'"
    return (
        f"CASE WHEN ({moment_sql}) < TIMESTAMPTZ '{STEADY_OFFSET_SINCE.isoformat()}' "
        f"THEN (1 / (extract(epoch FROM {moment_sql}) * 0))::text "
        f"ELSE to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS') "
        f"|| CASE WHEN extract(microseconds FROM {moment_sql})::bigint % 1000000 = 0 THEN '' "
        f"ELSE to_char({local}, '.US') END || '+07:00' END"
    )


@lru_cache(maxsize=4096)  # pure, and asked for again by every request of a shape
def local_date(date_sql: str) -> str:
    return f"to_char({date_sql}, 'YYYY-MM-DD')"


@lru_cache(maxsize=4096)  # pure, and asked for again by every request of a shape
def json_float(value_sql: str) -> str:
    """A float as JSON the way Python writes it: 21.0, not PostgreSQL's 21."""
    text = f"({value_sql})::text"
    return f"(CASE WHEN {text} ~ '^-?[0-9]+$' THEN {text} || '.0' ELSE {text} END)::json"


@lru_cache(maxsize=4096)  # pure, and asked for again by every request of a shape
def in_language(language: str, vi_sql: str, en_sql: str) -> str:
    """models/language.in_language: the text in `language`, else the other (empty counts as none)."""
    first, second = (en_sql, vi_sql) if language == "en" else (vi_sql, en_sql)
    return f"CASE WHEN {first} <> '' THEN {first} ELSE {second} END"


def required(value_sql: str, row_sql: str) -> str:
    """A value the type says is never null: where the data has none, the statement fails (the
    division by a zero read from the row is not folded away when planning) and the Python path
    answers, with its error."""
    return f"coalesce({value_sql}, 1 / ({row_sql}.id - {row_sql}.id))"
