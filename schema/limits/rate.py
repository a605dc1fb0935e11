"""Rate limiting of mutations: refused before execution with RATE_LIMITED, a retry-after, and
HTTP 429 with a Retry-After header. The counting itself is the HTTP layer's (web/rate_limit.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Protocol

from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType


class Verdict(Protocol):
    allowed: bool
    retry_after: int


class MutationLimiter(Protocol):
    async def check(self, keys: list[str]) -> Verdict: ...


def rate_limit_keys(context: Any) -> list[str]:
    """Mutations count against the caller's principal (its tokens) and its client address."""
    keys = [] if context.principal is None else [f"principal:{context.principal.id}"]
    return [*keys, f"address:{context.client_address}"]


class MutationRateLimit(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:  # type: ignore[override]  # strawberry's own base ignores it too
        execution = self.execution_context
        context = execution.context
        limiter: MutationLimiter | None = getattr(context, "rate_limiter", None)
        if limiter is not None and execution.result is None and execution.operation_type == OperationType.MUTATION:
            verdict = await limiter.check(rate_limit_keys(context))
            if not verdict.allowed:
                execution.result = ExecutionResult(
                    data=None,
                    errors=[
                        GraphQLError(
                            f"Too many mutations; retry after {verdict.retry_after} s.",
                            extensions={"code": "RATE_LIMITED", "retryAfter": verdict.retry_after},
                        )
                    ],
                )
                if context.response is not None:
                    context.response.status_code = 429
                    context.response.headers["Retry-After"] = str(verdict.retry_after)
        yield
