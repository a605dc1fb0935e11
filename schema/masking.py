"""Unexpected errors reach clients only as "Internal error" with a request id; the stack goes to
the log under that id. Expected errors (ours, and GraphQL's own) pass unchanged."""

from __future__ import annotations

import logging
import uuid

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from schema.errors import ApiError

log = logging.getLogger("craftway.errors")


def is_unexpected(error: GraphQLError) -> bool:
    """Errors raised while resolving that are not ours; syntax, validation and variable
    coercion errors carry no execution path and are expected."""
    if error.path is None or isinstance(error, ApiError):
        return False
    return not isinstance(error.original_error, ApiError | GraphQLError)


class MaskUnexpectedErrors(MaskErrors):
    def __init__(self) -> None:
        super().__init__(should_mask_error=is_unexpected)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        context = self.execution_context.context
        request_id = getattr(context, "request_id", None) or uuid.uuid4().hex
        original = error.original_error
        log.error(
            "unexpected error in %s",
            ".".join(str(p) for p in error.path or ()),
            exc_info=(type(original), original, original.__traceback__) if original else None,
            extra={"request_id": request_id},
        )
        return GraphQLError(
            f"Internal error (request id {request_id}).",
            nodes=error.nodes,
            path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        )
