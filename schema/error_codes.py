"""Every rejection carries `extensions.code`. graphql-core and strawberry's limit rules raise
plain errors; this gives each a stable code (by the rule's own message, checked by tests)."""

from __future__ import annotations

from graphql import GraphQLError

_BY_MESSAGE = (
    ("Document contains more than", "TOO_MANY_TOKENS"),
    ("Syntax Error", "GRAPHQL_PARSE_FAILED"),
    ("exceeds maximum operation depth", "QUERY_TOO_DEEP"),
    ("aliases found. Allowed", "TOO_MANY_ALIASES"),
    ("introspection", "INTROSPECTION_DISABLED"),
)


def code_for(error: GraphQLError) -> str | None:
    for fragment, code in _BY_MESSAGE:
        if fragment in error.message:
            return code
    if error.path is None:
        return "GRAPHQL_VALIDATION_FAILED"  # validation and variable coercion errors
    return None


def add_codes(errors: list[GraphQLError]) -> None:
    for error in errors:
        if error.extensions is None or "code" not in error.extensions:
            code = code_for(error)
            if code is not None:
                error.extensions = {**(error.extensions or {}), "code": code}
