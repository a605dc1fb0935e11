"""Running root fields' statements as plain driver SQL (no statement building): a statement's
text is the same for every request of a document shape, so asyncpg's and sqlite3's caches of
prepared statements prepare it once per connection."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import nullcontext
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

import resolvers.planner.sql.catalogue  # noqa: F401  (fills FIELD_SQL)
import resolvers.planner.sql.products  # noqa: F401  (fills FIELD_SQL)
from models.driver_reads import DriverReadFailed, DriverReads, driver_reads, reads_in_transaction
from resolvers.context import Context
from resolvers.planner.plan import FieldPlan
from resolvers.planner.sql.compiler import Compiler
from resolvers.planner.sql.dialect import DIALECTS, Dialect
from resolvers.planner.sql.roots import root_sql
from resolvers.planner.sql.snippets import CannotCompile, Params
from resolvers.planner.sql.sqlite_functions import register_functions
from resolvers.planner.sql.statement_cache import StatementCache


class StatementFailed(Exception):
    """The database refused the statement (data the SQL does not cover, such as a null where the
    type allows none): the generic executor answers, with its own error if there is one."""


class StatementTooDeep(Exception):
    """SQLite cannot parse a statement nested this deep: the Python runner answers the field."""


def dialect_of(engine: AsyncEngine) -> Dialect | None:
    """The SQL dialect the planner writes for `engine`'s database, if it writes one."""
    return DIALECTS.get(engine.dialect.name)


STATEMENTS = StatementCache()


def compile_root(
    plan: FieldPlan,
    context: Context,
    arguments: Callable[[FieldPlan], dict[str, Any]],
    dialect: Dialect,
    variables: Mapping[str, Any],
) -> tuple[str, list[Any]] | None:
    """The statement and parameters of root field `plan`, or None where SQL does not cover it;
    kept per shape (resolvers/planner/sql/statement_cache.py)."""

    def write(params: Params) -> str | None:
        compiler = Compiler(params, dialect, context.now, context.language, context.base_url, arguments)
        try:
            return root_sql(compiler, plan)
        except CannotCompile:
            return None

    return STATEMENTS.statement(plan, context, dialect, variables, write)


async def run_compiled(engine: AsyncEngine, statements: list[tuple[str, list[Any]]]) -> list[Any]:
    """The JSON values of a document's statements, one per root field, read on one connection
    straight from the driver (models/driver_reads.py), in one snapshot on SQLite."""
    async with driver_reads(engine) as reads:
        if reads.sqlite:
            await register_functions(reads)
        async with reads.snapshot() if len(statements) > 1 else nullcontext():
            return [_json(await _value(reads, sql, params)) for sql, params in statements]


async def run_statement(db: AsyncSession, sql: str, params: list[Any]) -> Any:
    """The JSON value of one statement, read in `db`'s transaction (a document whose other root
    fields the Python runner answers reads them all in that one session)."""
    reads = await reads_in_transaction(await db.connection())
    if reads.sqlite:
        await register_functions(reads)
    return _json(await _value(reads, sql, params))


async def _value(reads: DriverReads, sql: str, params: list[Any]) -> Any:
    try:
        return await reads.value(sql, params)
    except DriverReadFailed as failed:
        if str(failed) == "parser stack overflow":  # nested deeper than SQLite's parser goes
            raise StatementTooDeep(str(failed)) from failed
        raise StatementFailed(str(failed)) from failed


def _json(value: Any) -> Any:
    """None for null; PostgreSQL's json arrives decoded (SQLAlchemy's asyncpg dialect registers
    a decoder on its connections), SQLite's as text."""
    return orjson.loads(value) if isinstance(value, str) else value
