"""Running a plan: level by level, each planned field once for all objects of its level (one
DataLoader batch, so one SQL statement whatever the number of parents), and the answer assembled
as plain dicts and lists. Anything the generic executor would answer with an error (a null in
a non-null field, bad arguments, a failing fetch) raises, and the request goes to that executor.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

from graphql.execution.values import VariableValues, get_argument_values
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from strawberry.schema import Schema
from strawberry.types.arguments import convert_arguments

from resolvers.context import Context
from resolvers.planner.plan import FieldPlan, Leaf, ListOf, ObjectOf, OneOf, OperationPlan, SelectionPlan, ValuePlan
from resolvers.planner.sql.execute import (
    StatementFailed,
    StatementTooDeep,
    compile_root,
    dialect_of,
    run_compiled,
    run_statement,
)


class CannotAnswer(Exception):
    """The answer would carry an error: the generic executor must give it."""


class _Run:
    def __init__(
        self,
        schema: Schema,
        context: Context,
        variables: VariableValues,
        engine: AsyncEngine | None,
        db: AsyncSession | None = None,
    ) -> None:
        self.schema = schema
        self.context = context
        self.variables = variables
        self.engine = engine
        self.dialect = dialect_of(engine) if engine is not None else None
        self._db = db

    @property
    def db(self) -> AsyncSession:
        """The session the Python runner reads in (see run_plan)."""
        assert self._db is not None, "the Python runner reads in run_plan's session"
        return self._db

    def arguments(self, plan: FieldPlan) -> dict[str, Any]:
        assert plan.definition is not None and plan.node is not None
        raw = get_argument_values(plan.definition, plan.node, self.variables)
        return convert_arguments(raw, plan.arguments, self.schema.schema_converter.scalar_registry, self.schema.config)

    async def compiled_root(self, plan: OperationPlan) -> dict[str, Any] | None:
        """The answer from one statement per root field, read straight from the driver; None
        where a root field has no statement (then `root` answers, field by field)."""
        if self.dialect is None or self.engine is None:
            return None
        fields = [f for f in plan.selection.fields if f.typename is None]
        statements = []
        for field in fields:
            statement = compile_root(field, self.context, self.arguments, self.dialect, self.variables.coerced)
            if statement is None:
                return None
            statements.append(statement)
        try:
            values = await run_compiled(self.engine, statements)
        except StatementFailed as failed:
            raise CannotAnswer(str(failed)) from failed
        except StatementTooDeep:
            return None
        if any(v is None and not f.value.nullable for f, v in zip(fields, values, strict=True)):
            raise CannotAnswer("null in a non-null field")
        self.context.planned_fields += len(fields)
        self.context.compiled_fields += len(fields)
        answers = iter(values)
        return {f.key: f.typename if f.typename is not None else next(answers) for f in plan.selection.fields}

    async def root(self, plan: OperationPlan) -> dict[str, Any]:
        columns = [await self.root_field(f) for f in plan.selection.fields]
        return dict(zip(plan.selection.keys, columns, strict=True))

    async def root_field(self, plan: FieldPlan) -> Any:
        if plan.typename is not None:
            return plan.typename
        assert plan.root is not None
        self.context.planned_fields += 1
        statement = None
        if self.dialect is not None:
            statement = compile_root(plan, self.context, self.arguments, self.dialect, self.variables.coerced)
        if statement is not None:
            try:
                value = await run_statement(self.db, *statement)
            except StatementFailed as failed:
                raise CannotAnswer(str(failed)) from failed
            except StatementTooDeep:
                pass  # answered below, field by field
            else:
                if value is None and not plan.value.nullable:
                    raise CannotAnswer("null in a non-null field")
                self.context.compiled_fields += 1
                return value
        value = await plan.root(self.context, self.arguments(plan))
        return (await self.complete(plan.value, [value]))[0]

    async def selection(self, plan: SelectionPlan, objects: list[Any]) -> list[dict[str, Any]]:
        if not objects:
            return []
        if not plan.fields:  # every field skipped by @include/@skip
            return [{} for _ in objects]
        columns = [await self.column(f, objects) for f in plan.fields]
        keys = plan.keys
        return [dict(zip(keys, row, strict=True)) for row in zip(*columns, strict=True)]

    async def column(self, plan: FieldPlan, objects: list[Any]) -> list[Any]:
        if plan.typename is not None:
            return [plan.typename] * len(objects)
        if plan.attribute is not None:
            values = [plan.attribute(o) for o in objects]
        elif plan.computed is not None:
            compute, context = plan.computed.compute, self.context
            values = [compute(o, context) for o in objects]
        else:
            assert plan.fetched is not None
            values = await plan.fetched.fetch(self.context, objects, self.arguments(plan))
        return await self.complete(plan.value, values)

    async def complete(self, plan: ValuePlan, values: list[Any]) -> list[Any]:
        if not plan.nullable and any(v is None for v in values):
            raise CannotAnswer("null in a non-null field")
        if isinstance(plan, Leaf):
            serialize = plan.serialize
            if serialize is None:
                return values
            return [None if v is None else serialize(v) for v in values]
        if isinstance(plan, ListOf):
            items = [item for v in values if v is not None for item in v]
            done = iter(await self.complete(plan.item, items))
            return [None if v is None else [next(done) for _ in v] for v in values]
        present = [v for v in values if v is not None]
        if isinstance(plan, ObjectOf):
            done = iter(await self.selection(plan.selection, present))
        else:
            done = iter(await self.one_of(plan, present))
        return [None if v is None else next(done) for v in values]

    async def one_of(self, plan: OneOf, objects: list[Any]) -> list[dict[str, Any]]:
        """Objects of several types: each type's selection over its own objects, in order."""
        groups: dict[type, list[int]] = {}
        for index, o in enumerate(objects):
            groups.setdefault(type(o), []).append(index)
        answers: list[dict[str, Any]] = [{} for _ in objects]
        for class_, indices in groups.items():
            selection = plan.selections.get(class_)
            if selection is None:
                raise CannotAnswer(f"no plan for {class_.__name__}")
            for index, answer in zip(
                indices, await self.selection(selection, [objects[i] for i in indices]), strict=True
            ):
                answers[index] = answer
        return answers


async def run_plan(schema: Schema, plan: OperationPlan, context: Context, variables: VariableValues) -> dict[str, Any]:
    """The `data` of the answer; CannotAnswer (or the error itself) when it would carry an error.

    Where every root field has a statement, the statements are read straight from the driver
    (in one snapshot on SQLite; on PostgreSQL each has its own, as READ COMMITTED gives), and no
    database session is opened. Else the whole answer is read in one database session (on SQLite
    one transaction and one snapshot; on PostgreSQL in autocommit, which gives the same and saves
    a BEGIN and a ROLLBACK round trip): fields run one after another, each one batch, so the
    session is never used by two tasks at once."""
    engine = bound_engine(context.sessions)
    if engine is not None:
        data = await _Run(schema, context, variables, engine).compiled_root(plan)
        if data is not None:
            return data
    async with context.sessions() as db:

        @asynccontextmanager
        async def borrow() -> AsyncIterator[AsyncSession]:
            yield db

        run = _Run(schema, replace(context, sessions=borrow), variables, engine, db)
        if db.get_bind().dialect.name == "postgresql":
            await db.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        data = await run.root(plan)
        context.planned_fields += run.context.planned_fields
        context.compiled_fields += run.context.compiled_fields
        return data


def bound_engine(sessions: object) -> AsyncEngine | None:
    """The engine an `async_sessionmaker` binds its sessions to. Other factories (none in the
    product) get the Python runner alone, with no statements."""
    bind = sessions.kw.get("bind") if isinstance(sessions, async_sessionmaker) else None
    return bind if isinstance(bind, AsyncEngine) else None
