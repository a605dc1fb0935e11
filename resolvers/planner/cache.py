"""Plans by document, operation and the outcome of its @include/@skip variables."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from graphql import DirectiveNode, VariableNode, visit
from graphql.execution.values import VariableValues
from graphql.language import DocumentNode, OperationDefinitionNode, Visitor
from strawberry.schema import Schema

from resolvers.planner.plan import CannotPlan, OperationPlan, plan_operation

CONDITIONS = frozenset({"include", "skip"})


class _ConditionVariables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_directive(self, node: DirectiveNode, *_args: Any) -> None:
        if node.name.value in CONDITIONS:
            self.names.update(a.value.name.value for a in node.arguments or () if isinstance(a.value, VariableNode))


def _condition_variables(document: DocumentNode) -> tuple[str, ...]:
    finder = _ConditionVariables()
    visit(document, finder)
    return tuple(sorted(finder.names))


class PlanCache:
    """At most `size` plans (or the knowledge that a document has none), least recently used out."""

    def __init__(self, schema: Schema, size: int = 512) -> None:
        self.schema = schema
        self.size = size
        self._plans: OrderedDict[tuple[Any, ...], OperationPlan | None] = OrderedDict()
        self._conditions: dict[str, tuple[str, ...]] = {}  # by query text: hashing a document costs a visit

    def plan(
        self, query: str, document: DocumentNode, operation: OperationDefinitionNode, variables: VariableValues
    ) -> OperationPlan | None:
        names = self._conditions.get(query)
        if names is None:
            if len(self._conditions) >= self.size:
                self._conditions.clear()
            names = self._conditions[query] = _condition_variables(document)
        conditions = tuple(variables.coerced.get(n) for n in names)
        if any(c is None for c in conditions):  # an explicit null for @include/@skip: the generic executor's error
            return None
        key = (query, operation.name.value if operation.name else None, conditions)
        if key in self._plans:
            self._plans.move_to_end(key)
            return self._plans[key]
        try:
            plan: OperationPlan | None = plan_operation(self.schema, document, operation, variables)
        except CannotPlan:
            plan = None
        self._plans[key] = plan
        if len(self._plans) > self.size:
            self._plans.popitem(last=False)
        return plan
