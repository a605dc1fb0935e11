"""Planning a query document: once per document, operation and @include/@skip outcome, the
document is resolved against the schema into a tree of plans, with fragments merged, aliases
applied and every field bound to how it is answered (an attribute, a `Computed` value or a
`Fetched` batch from resolvers/planner/fields.py). Field collection is graphql-core's own, so
merging, ordering and directives behave exactly as in the generic executor.

A document with anything the table does not cover (private fields, introspection, mutations,
subscriptions) has no plan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from graphql import (
    FieldNode,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    OperationDefinitionNode,
    OperationType,
    is_abstract_type,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetails, FragmentDetails, collect_fields, collect_subfields
from graphql.execution.values import VariableValues
from graphql.language import DocumentNode, FragmentDefinitionNode
from strawberry.schema import Schema
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from resolvers.planner.fields import FIELDS, ROOT_FIELDS, Computed, Fetched, RootFetch

NATIVE_SCALARS = frozenset({"String", "ID", "Int", "Boolean"})  # their values are already JSON


class CannotPlan(Exception):
    """The document asks for something only the generic executor answers."""


@dataclass(frozen=True, slots=True)
class Leaf:
    nullable: bool
    serialize: Callable[[Any], Any] | None  # None: the value is JSON as it is
    scalar: str = ""  # the GraphQL type's name


@dataclass(frozen=True, slots=True)
class ListOf:
    nullable: bool
    item: ValuePlan


@dataclass(frozen=True, slots=True)
class ObjectOf:
    nullable: bool
    selection: SelectionPlan


@dataclass(frozen=True, slots=True)
class OneOf:
    """An interface or union: a selection per concrete type; None where that type's selection
    cannot be planned (an object of it then sends the request to the generic executor)."""

    nullable: bool
    selections: dict[type, SelectionPlan | None]


ValuePlan = Leaf | ListOf | ObjectOf | OneOf


@dataclass(frozen=True, slots=True)
class FieldPlan:
    """One response key: where its values come from, and how they are completed."""

    key: str
    value: ValuePlan
    name: str | None = None  # the strawberry field's Python name (None for __typename)
    typename: str | None = None  # for __typename
    attribute: Callable[[Any], Any] | None = None
    computed: Computed | None = None
    fetched: Fetched | None = None
    root: RootFetch | None = None
    definition: GraphQLField | None = None
    node: FieldNode | None = None
    arguments: list[Any] = field(default_factory=list)  # the strawberry field's arguments


@dataclass(frozen=True, slots=True)
class SelectionPlan:
    fields: list[FieldPlan]
    origin: type | None = None  # the strawberry class of the objects selected from (None at the root)

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.fields]


@dataclass(frozen=True, slots=True)
class OperationPlan:
    selection: SelectionPlan


class _Planner:
    def __init__(self, schema: Schema, document: DocumentNode, operation: OperationDefinitionNode) -> None:
        self.schema = schema
        self.core = schema._schema
        self.operation = operation
        self.fragments = {
            d.name.value: FragmentDetails(d) for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.variables: VariableValues | None = None

    def operation_plan(self, variables: VariableValues) -> OperationPlan:
        self.variables = variables
        query = self.core.query_type
        assert query is not None
        collected = collect_fields(self.core, self.fragments, variables, query, self.operation)
        if collected.new_defer_usages:
            raise CannotPlan("@defer")
        return OperationPlan(
            SelectionPlan([self._root_field(query, k, d) for k, d in collected.grouped_field_set.items()])
        )

    def _root_field(self, query: GraphQLObjectType, key: str, details: list[FieldDetails]) -> FieldPlan:
        name = details[0].node.name.value
        if name == "__typename":
            return FieldPlan(key, Leaf(False, None), typename=query.name)
        definition, strawberry_field = self._field(query, name)
        if strawberry_field.extensions:
            raise CannotPlan(f"Query.{name} has field extensions")
        root = ROOT_FIELDS.get(strawberry_field.python_name)
        if root is None:
            raise CannotPlan(f"Query.{name}")
        return _with_arguments(
            key, self._value(definition.type, details), strawberry_field, definition, details, root=root
        )

    def _field(self, parent: GraphQLObjectType, name: str) -> tuple[GraphQLField, StrawberryField]:
        if name.startswith("__"):
            raise CannotPlan(f"introspection field {name}")
        definition = parent.fields[name]
        strawberry_type = self.schema.get_type_by_name(parent.name)
        if not isinstance(strawberry_type, StrawberryObjectDefinition):
            raise CannotPlan(parent.name)
        names = self.schema.config.name_converter
        found = next((f for f in strawberry_type.fields if names.get_graphql_name(f) == name), None)
        if found is None:
            raise CannotPlan(f"{parent.name}.{name}")
        return definition, found

    def _selection(self, parent: GraphQLObjectType, details: list[FieldDetails]) -> SelectionPlan:
        assert self.variables is not None
        collected = collect_subfields(self.core, self.fragments, self.variables, self.operation, parent, details)
        if collected.new_defer_usages:
            raise CannotPlan("@defer")
        return SelectionPlan(
            [self._object_field(parent, k, d) for k, d in collected.grouped_field_set.items()], self._class_of(parent)
        )

    def _object_field(self, parent: GraphQLObjectType, key: str, details: list[FieldDetails]) -> FieldPlan:
        name = details[0].node.name.value
        if name == "__typename":
            return FieldPlan(key, Leaf(False, None), typename=parent.name)
        definition, strawberry_field = self._field(parent, name)
        if strawberry_field.extensions:  # permissions and other field extensions run in the generic executor
            raise CannotPlan(f"{parent.name}.{name} has field extensions")
        value = self._value(definition.type, details)
        if strawberry_field.base_resolver is None:
            return FieldPlan(
                key, value, name=strawberry_field.python_name, attribute=attrgetter(strawberry_field.python_name)
            )
        origin = self.schema.get_type_by_name(parent.name)
        assert isinstance(origin, StrawberryObjectDefinition)
        # A generic type's specialisation (TourConnection) is a subclass of the generic class.
        answer = next(
            (
                FIELDS[c, strawberry_field.python_name]
                for c in origin.origin.__mro__
                if (c, strawberry_field.python_name) in FIELDS
            ),
            None,
        )
        if answer is None:
            raise CannotPlan(f"{parent.name}.{name}")
        if isinstance(answer, Computed):
            return FieldPlan(key, value, name=strawberry_field.python_name, computed=answer)
        return _with_arguments(key, value, strawberry_field, definition, details, fetched=answer)

    def _value(self, type_: GraphQLOutputType, details: list[FieldDetails]) -> ValuePlan:
        nullable = not isinstance(type_, GraphQLNonNull)
        inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        if isinstance(inner, GraphQLList):
            return ListOf(nullable, self._value(inner.of_type, details))
        if is_leaf_type(inner):
            native = isinstance(inner, GraphQLScalarType) and inner.name in NATIVE_SCALARS
            return Leaf(nullable, None if native else inner.serialize, inner.name)  # type: ignore[union-attr]
        if isinstance(inner, GraphQLObjectType):
            return ObjectOf(nullable, self._selection(inner, details))
        if is_abstract_type(inner):
            return OneOf(
                nullable,
                {self._class_of(t): self._maybe_selection(t, details) for t in self.core.get_possible_types(inner)},
            )  # type: ignore[arg-type]
        raise CannotPlan(str(inner))

    def _class_of(self, object_type: GraphQLObjectType) -> type:
        definition = self.schema.get_type_by_name(object_type.name)
        assert isinstance(definition, StrawberryObjectDefinition)
        return definition.origin

    def _maybe_selection(self, object_type: GraphQLObjectType, details: list[FieldDetails]) -> SelectionPlan | None:
        try:
            return self._selection(object_type, details)
        except CannotPlan:
            return None


def _with_arguments(
    key: str,
    value: ValuePlan,
    strawberry_field: StrawberryField,
    definition: GraphQLField,
    details: list[FieldDetails],
    **answer: Any,
) -> FieldPlan:
    """A field answered with its arguments (a root field or a fetched one)."""
    return FieldPlan(
        key,
        value,
        name=strawberry_field.python_name,
        definition=definition,
        node=details[0].node,
        arguments=strawberry_field.arguments,
        **answer,
    )


def plan_operation(
    schema: Schema, document: DocumentNode, operation: OperationDefinitionNode, variables: VariableValues
) -> OperationPlan:
    """The plan of a query operation; CannotPlan when it has parts only the generic executor answers."""
    if operation.operation != OperationType.QUERY:
        raise CannotPlan(operation.operation.value)
    return _Planner(schema, document, operation).operation_plan(variables)
