"""Rate limiting of mutations: refused before execution with RATE_LIMITED, a retry-after, and
HTTP 429 with a Retry-After header."""

from __future__ import annotations

from collections.abc import AsyncIterator

from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType


class MutationRateLimit(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:  # type: ignore[override]
        context = self.execution_context
        limiter = getattr(context.context, "rate_limiter", None)
        if limiter is not None and context.operation_type == OperationType.MUTATION:
            verdict = await limiter.check(context.context.rate_limit_keys())
            if not verdict.allowed:
                context.result = ExecutionResult(
                    data=None,
                    errors=[
                        GraphQLError(
                            f"Too many mutations; retry after {verdict.retry_after} s.",
                            extensions={"code": "RATE_LIMITED", "retryAfter": verdict.retry_after},
                        )
                    ],
                )
                response = getattr(context.context, "response", None)
                if response is not None:
                    response.status_code = 429
                    response.headers["Retry-After"] = str(verdict.retry_after)
        yield
