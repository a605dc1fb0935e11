"""Query cost, computed before execution: every field costs 1 times the number of parents it
is resolved for; a connection returns up to `first` (default 20) items, so what is nested in it
is multiplied by `first`. A document over the ceiling is refused with its computed cost."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from schema.pagination import DEFAULT_FIRST

CONNECTION_ARGUMENT = "first"


def _first(field: FieldNode, variables: dict[str, Any]) -> int:
    """The `first` a connection field is asked for: the literal, the variable, or the default."""
    for argument in field.arguments or ():
        if argument.name.value != CONNECTION_ARGUMENT:
            continue
        value = argument.value
        if isinstance(value, IntValueNode):
            return max(0, int(value.value))
        if isinstance(value, VariableNode):
            given = variables.get(value.name.value)
            return max(0, given) if isinstance(given, int) else DEFAULT_FIRST
    return DEFAULT_FIRST


def selection_cost(
    schema: GraphQLSchema,
    parent: GraphQLNamedType | None,
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any],
    multiplier: int,
    seen: frozenset[str] = frozenset(),
) -> int:
    """Whether a field is a connection comes from the schema (it declares `first`), so leaving
    `first` out of the document still counts its default."""
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            total += multiplier
            fields = getattr(parent, "fields", {})
            definition = fields.get(selection.name.value) if isinstance(fields, dict) else None
            child = get_named_type(definition.type) if definition is not None else None
            is_connection = definition is not None and CONNECTION_ARGUMENT in definition.args
            inner = multiplier * _first(selection, variables) if is_connection else multiplier
            total += selection_cost(schema, child, selection.selection_set, fragments, variables, inner, seen)
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            target = schema.get_type(condition.name.value) if condition else parent
            total += selection_cost(schema, target, selection.selection_set, fragments, variables, multiplier, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:
                fragment = fragments[name]
                target = schema.get_type(fragment.type_condition.name.value)
                total += selection_cost(
                    schema, target, fragment.selection_set, fragments, variables, multiplier, seen | {name}
                )
    return total


def document_cost(
    schema: GraphQLSchema, document: Any, variables: dict[str, Any], operation_name: str | None = None
) -> int:
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    costs = [
        selection_cost(schema, schema.get_root_type(op.operation), op.selection_set, fragments, variables, 1)
        for op in document.definitions
        if isinstance(op, OperationDefinitionNode)
        and (operation_name is None or (op.name is not None and op.name.value == operation_name))
    ]
    return max(costs, default=0)


def cost_limiter(max_cost: int, cache_size: int = 512) -> type[SchemaExtension]:
    # Validation results per document text: the rules are the same for every request, and
    # validating the mobile query costs about 2 ms. The cost still depends on the variables.
    validated: OrderedDict[str, list[GraphQLError]] = OrderedDict()

    def validate(context: Any) -> list[GraphQLError]:
        text = context.query
        if text is not None and text in validated:
            validated.move_to_end(text)
            return validated[text]
        errors = validate_document(context.schema._schema, context.graphql_document, context.validation_rules)
        if text is not None:
            validated[text] = errors
            if len(validated) > cache_size:
                validated.popitem(last=False)
        return errors

    # Costs per document text, operation and the variables a cost can read: `first` is read
    # from a variable only when it holds an int, so the others never change it.
    costs: OrderedDict[tuple[Any, ...], int] = OrderedDict()

    def cost_of(context: Any) -> int:
        variables = context.variables or {}
        text = context.query
        key = (text, context.operation_name, tuple(sorted((k, v) for k, v in variables.items() if isinstance(v, int))))
        if text is not None and key in costs:
            costs.move_to_end(key)
            return costs[key]
        cost = document_cost(context.schema._schema, context.graphql_document, variables, context.operation_name)
        if text is not None:
            costs[key] = cost
            if len(costs) > cache_size:
                costs.popitem(last=False)
        return cost

    class QueryCostLimiter(SchemaExtension):
        def on_validate(self) -> Iterator[None]:
            context = self.execution_context
            if context.pre_execution_errors is None and context.graphql_document is not None:
                # Validate here, so the cost is only computed for a valid document.
                errors = list(validate(context))
                if not errors:
                    cost = cost_of(context)
                    if cost > max_cost:
                        errors = [
                            GraphQLError(
                                f"Query cost {cost} exceeds the limit of {max_cost}; ask for fewer items.",
                                extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "limit": max_cost},
                            )
                        ]
                context.pre_execution_errors = errors
            yield

    return QueryCostLimiter
