"""Running a root field's statement on the request's PostgreSQL connection as plain driver SQL
(no statement building): its text is the same for every request of a document shape, so the
asyncpg dialect's cache of prepared statements prepares it once per connection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

import resolvers.planner.sql.catalogue  # noqa: F401  (fills FIELD_SQL)
import resolvers.planner.sql.products  # noqa: F401  (fills FIELD_SQL)
from resolvers.context import Context
from resolvers.planner.plan import FieldPlan
from resolvers.planner.sql.compiler import Compiler
from resolvers.planner.sql.roots import root_sql
from resolvers.planner.sql.snippets import CannotCompile, Params


class StatementFailed(Exception):
    """PostgreSQL refused the statement (data the SQL does not cover, such as a null where the
    type allows none): the generic executor answers, with its own error if there is one."""


def compiles_on(db: AsyncSession) -> bool:
    return db.get_bind().dialect.name == "postgresql"


def compile_root(
    plan: FieldPlan, context: Context, arguments: Callable[[FieldPlan], dict[str, Any]]
) -> tuple[str, list[Any]] | None:
    """The statement and parameters of root field `plan`, or None where SQL does not cover it."""
    compiler = Compiler(Params(), context.now, context.language, context.base_url, arguments)
    try:
        return root_sql(compiler, plan), compiler.params.values
    except CannotCompile:
        return None


async def run_statement(db: AsyncSession, sql: str, params: list[Any]) -> Any:
    """The JSON value the statement builds (None for null). SQLAlchemy's asyncpg dialect
    registers a decoder for json on its connections, so the value arrives already parsed."""
    connection = await db.connection()
    try:
        value = (await connection.exec_driver_sql(sql, tuple(params))).scalar_one()
    except DBAPIError as error:
        raise StatementFailed(str(error)) from error
    return orjson.loads(value) if isinstance(value, str) else value
