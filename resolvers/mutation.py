"""The one path every mutation takes from its unit of work to its result union."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

from models.errors import DomainError
from schema.types.user_errors import UserError, user_error

Params = ParamSpec("Params")
Success = TypeVar("Success")


def mutation(work: Callable[Params, Awaitable[Success]]) -> Callable[Params, Awaitable[Success | UserError]]:
    """A mutation resolver from a function that returns its Success member: a DomainError the
    work raises becomes that error's union member. Anything else (authentication failures, bugs)
    propagates as a top-level error. The resolver keeps the work's signature for strawberry."""

    @functools.wraps(work)
    async def resolve(*args: Params.args, **kwargs: Params.kwargs) -> Success | UserError:
        try:
            return await work(*args, **kwargs)
        except DomainError as error:
            return user_error(error)

    return resolve
