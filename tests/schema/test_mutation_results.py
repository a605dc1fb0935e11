"""Every mutation's result union holds every error its operation can raise, and every domain
error has its code and GraphQL type.

What an operation can raise is read from the code: starting at the mutation's resolver, every
function of the project it calls (by name, module attribute or class attribute) is followed, and
every DomainError class it constructs is collected. That over-approximates (an error built and
caught inside counts too), which is the safe direction for a union a client switches on.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import inspect
import pkgutil
import textwrap
from collections.abc import Callable
from typing import Any

import pytest
from strawberry.types.union import StrawberryUnion

import models
import resolvers
import schema
from models.errors import ERRORS, DomainError
from schema.build import Mutation
from schema.types.user_errors import ERROR_TYPES, ErrorCode, user_error

PROJECT_PACKAGES = ("models", "schema", "resolvers", "web")
DOMAIN_ERROR_OF_TYPE = {graphql_type: error for error, graphql_type in ERROR_TYPES.items()}


def _resolve(node: ast.expr, namespace: dict[str, Any]) -> Any:
    if isinstance(node, ast.Name):
        return namespace.get(node.id, getattr(builtins, node.id, None))
    if isinstance(node, ast.Attribute):
        owner = _resolve(node.value, namespace)
        return getattr(owner, node.attr, None) if owner is not None else None
    return None


def _is_project_code(target: Any) -> bool:
    return inspect.isfunction(target) and target.__module__.split(".")[0] in PROJECT_PACKAGES


def errors_raised_by(function: Callable[..., Any], seen: set[Any] | None = None) -> set[type[DomainError]]:
    seen = set() if seen is None else seen
    function = inspect.unwrap(function)
    if function in seen:
        return set()
    seen.add(function)
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    found: set[type[DomainError]] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        target = _resolve(node.func, function.__globals__)
        if inspect.ismethod(target):
            target = target.__func__
        if isinstance(target, type) and issubclass(target, DomainError):
            found.add(target)
        elif _is_project_code(target):
            found |= errors_raised_by(target, seen)
    return found


def mutations() -> list[tuple[str, Callable[..., Any], StrawberryUnion]]:
    fields = Mutation.__strawberry_definition__.fields
    found = []
    for field in fields:
        assert field.base_resolver is not None, field.name
        union = field.type_annotation.resolve() if field.type_annotation else field.type
        assert isinstance(union, StrawberryUnion), f"{field.name} must return a result union"
        found.append((field.name, field.base_resolver.wrapped_func, union))
    return found


@pytest.mark.parametrize(("name", "resolver", "union"), mutations(), ids=lambda v: v if isinstance(v, str) else "")
def test_result_union_holds_every_error_the_operation_can_raise(
    name: str, resolver: Callable[..., Any], union: StrawberryUnion
) -> None:
    members = {DOMAIN_ERROR_OF_TYPE[t] for t in union.types if t in DOMAIN_ERROR_OF_TYPE}
    raised = errors_raised_by(resolver)
    missing = sorted(e.__name__ for e in raised - members)
    assert missing == [], f"{name}Result lacks the error types of {missing}"
    # And no member the operation cannot produce: a union that lists every error type would
    # pass the check above, and a lost trail into the domain shows up here as well.
    unreachable = sorted(e.__name__ for e in members - raised)
    assert unreachable == [], f"{name}Result lists errors its code never raises: {unreachable}"


def test_the_analysis_follows_calls_into_the_domain() -> None:
    """A check that cannot fail proves nothing: holdSeats reaches NotEnoughSeats only through
    resolvers -> models.booking.operations -> its private helpers."""
    from models.errors import IdempotencyConflict, InvalidInput, NotEnoughSeats
    from resolvers.bookings import hold_seats

    assert {NotEnoughSeats, IdempotencyConflict, InvalidInput} <= errors_raised_by(hold_seats)


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: e.__name__)
def test_every_domain_error_becomes_its_own_union_member(error: type[DomainError]) -> None:
    instance = error("message", 3) if error.details else error("message", "someField")
    member = user_error(instance)
    assert type(member).__name__ == f"{error.__name__}Error"
    assert member.code == ErrorCode(error.code)
    assert member.message == "message"
    for name in error.details:
        assert getattr(member, name) == getattr(instance, name)


def test_every_mutation_is_checked() -> None:
    assert len(mutations()) >= 8


def test_every_domain_error_is_listed() -> None:
    """An unlisted DomainError would have no code in ErrorCode: an internal error for clients."""

    def subclasses(cls: type[DomainError]) -> set[type[DomainError]]:
        return {sub for direct in cls.__subclasses__() for sub in {direct, *subclasses(direct)}}

    for package in (models, resolvers, schema):  # import every module that could define one
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if ".migrations" not in module.name:
                importlib.import_module(module.name)
    assert subclasses(DomainError) == set(ERRORS)


def test_codes_are_unique() -> None:
    codes = [error.code for error in ERRORS]
    assert len(codes) == len(set(codes))
    assert {member.value for member in ErrorCode} == set(codes)
