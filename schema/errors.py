"""Top-level GraphQL errors for requests that cannot be served (bad arguments, missing auth).

They carry `extensions.code`, pass unmasked to clients, and never expose internals.
"""

from __future__ import annotations

from graphql import GraphQLError


class ApiError(GraphQLError):
    """An expected error: its message is for the client and is never masked."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, extensions={"code": code})


def bad_input(message: str) -> ApiError:
    return ApiError(message, "BAD_USER_INPUT")


def unauthenticated() -> ApiError:
    return ApiError("Authentication required: send 'Authorization: Bearer <token>'.", "UNAUTHENTICATED")


def forbidden(message: str = "Your token's role may not do this.") -> ApiError:
    return ApiError(message, "FORBIDDEN")
