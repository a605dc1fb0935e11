"""The schema extension that answers planned reads. It runs in strawberry's execute step, after
parsing, validation and every limit (depth, aliases, tokens, cost, NUL characters), so both
paths pass the same gates; the HTTP layer's persisted queries and response cache sit in front of
both, and error masking after both."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from weakref import WeakKeyDictionary

from graphql import ExecutionResult, GraphQLError, get_operation_ast
from graphql.execution.values import get_variable_values
from strawberry.extensions import SchemaExtension
from strawberry.schema import Schema

from models.errors import DomainError
from resolvers.context import Context
from resolvers.loaders import MissingRow
from resolvers.planner.cache import PlanCache
from resolvers.planner.run import CannotAnswer, run_plan

_EXPECTED = (CannotAnswer, GraphQLError, DomainError, MissingRow)


class PlannedReads(SchemaExtension):
    """Answers an anonymous query from its plan when it has one; otherwise leaves it to the
    generic executor."""

    caches: WeakKeyDictionary[Schema, PlanCache] = WeakKeyDictionary()  # plans hold their schema's types

    async def on_execute(self) -> AsyncIterator[None]:  # type: ignore[override]  # strawberry's own base ignores it too
        execution = self.execution_context
        context = execution.context
        anonymous = isinstance(context, Context) and context.principal is None and not context.bad_token
        if execution.result is None and anonymous:
            data = await self._answer(context)
            if data is not None:
                execution.result = ExecutionResult(data=data)
                context.planned = True
        yield

    async def _answer(self, context: Context) -> dict[str, object] | None:
        execution = self.execution_context
        document, query = execution.graphql_document, execution.query
        if document is None or query is None:
            return None
        operation = get_operation_ast(document, execution.operation_name)
        if operation is None:
            return None
        schema = execution.schema
        variables = get_variable_values(schema._schema, operation.variable_definitions or (), execution.variables or {})
        if isinstance(variables, list):  # coercion errors: the generic executor reports them
            return None
        cache = self.caches.get(schema) or self.caches.setdefault(schema, PlanCache(schema))
        try:
            plan = cache.plan(query, document, operation, variables)
            return None if plan is None else await run_plan(schema, plan, context, variables)
        except _EXPECTED:
            return None
        except Exception:  # never worse than the generic path: note it, then let that one answer
            logging.getLogger("craftway.errors").warning(
                "planned read failed; the generic executor answers",
                exc_info=True,
                extra={"request_id": context.request_id},
            )
            return None
