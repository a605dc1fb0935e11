"""The WebSocket at /graphql serves subscriptions only.

One context serves a whole connection: its clock reading and its DataLoader caches would be
those of the moment the socket opened, which a subscription refreshes for every event it pushes
but a query or a mutation would not (a booking cut-off checked against an hour-old clock).
Queries and mutations go over HTTP, where every request gets its own context.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType


class SubscriptionsOnlyOverWebSocket(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        execution = self.execution_context
        over_websocket = getattr(execution.context, "changes", None) is not None
        if over_websocket and execution.operation_type != OperationType.SUBSCRIPTION:
            message = "This WebSocket serves subscriptions; send queries and mutations with HTTP POST /graphql."
            execution.result = ExecutionResult(
                data=None, errors=[GraphQLError(message, extensions={"code": "BAD_REQUEST"})]
            )
        yield
