"""Expected failures of mutations: typed members of each result union (UserError).

Built from the one list in models/errors.py: the `ErrorCode` enum and one `<Name>Error` type per
domain error, so a code, its GraphQL type and its domain exception can never drift apart.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Annotated, Any, cast

import strawberry

from models.errors import ERRORS, DomainError


def _error_codes() -> type[Enum]:
    """The ErrorCode enum: one member per domain error, described by its `meaning`."""
    make_enum = cast("Callable[..., type[Enum]]", Enum)  # called like this, mypy does not ask for a literal
    members = {error.code: strawberry.enum_value(error.code, description=error.meaning) for error in ERRORS}
    return strawberry.enum(make_enum("ErrorCode", members), description="Stable codes of expected failures.")


ErrorCode = _error_codes()


@strawberry.interface(description="An expected failure the client can act on.")
class UserError:
    code: Enum = strawberry.field(graphql_type=ErrorCode, description="Stable machine-readable code.")
    message: str = strawberry.field(description="What went wrong, for people.")
    field: str | None = strawberry.field(description="The input field at fault, if one is.")


def _error_type(error: type[DomainError]) -> Callable[..., UserError]:
    """The GraphQL type of one domain error: UserError plus the error's `details`."""
    namespace: dict[str, Any] = {
        "__module__": __name__,
        "__annotations__": {name: kind for name, (kind, _) in error.details.items()},
    }
    namespace.update({name: strawberry.field(description=text) for name, (_, text) in error.details.items()})
    described = (error.__doc__ or error.meaning).strip()
    return strawberry.type(type(f"{error.__name__}Error", (UserError,), namespace), description=described)


ERROR_TYPES: dict[type[DomainError], Callable[..., UserError]] = {error: _error_type(error) for error in ERRORS}


def error_type(error: type[DomainError]) -> Callable[..., UserError]:
    """The GraphQL type of `error`, or of the nearest listed error it derives from."""
    for cls in error.__mro__:
        if cls in ERROR_TYPES:
            return ERROR_TYPES[cls]
    raise KeyError(f"{error.__name__} is not listed in models.errors.ERRORS")


def user_error(error: DomainError) -> UserError:
    """The union member that reports `error` to the client."""
    details = {name: getattr(error, name) for name in error.details}
    return error_type(type(error))(code=ErrorCode(error.code), message=error.message, field=error.field, **details)


def result_union(name: str, description: str, success: type, errors: Sequence[type[DomainError]]) -> Any:
    """`<Mutation>Result`: its Success type or the error types of the errors it can raise."""
    members = functools.reduce(operator.or_, [success, *(error_type(e) for e in errors)])
    return Annotated[members, strawberry.union(name, description=description)]
