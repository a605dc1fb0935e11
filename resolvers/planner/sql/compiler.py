"""Walking a plan into SQL: each selection becomes one JSON object over a row alias, each field
the SQL its (type, field) entry in FIELD_SQL gives, in the dialect of the request's database."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from resolvers.planner.plan import FieldPlan, Leaf, ListOf, ObjectOf, SelectionPlan, ValuePlan
from resolvers.planner.sql.dialect import Dialect
from resolvers.planner.sql.snippets import CannotCompile, Params, json_pairs, literal


@dataclass
class Compiler:
    """One statement being written: its parameters, the request's moment and language, and how
    to read a field's arguments (the runner's own coercion, so both paths see the same values)."""

    params: Params
    sql: Dialect
    now: datetime
    language: str
    base_url: str
    arguments: Callable[[FieldPlan], dict[str, Any]]
    _aliases: int = 0

    def alias(self, stem: str) -> str:
        self._aliases += 1
        return f"{stem}{self._aliases}"

    def now_sql(self) -> str:
        return self.params.add(self.now, "timestamptz")

    def selection(self, plan: SelectionPlan, row: str) -> str:
        """The JSON object of `plan` for the row `row`."""
        if plan.origin is None:
            raise CannotCompile("a selection of no known type")
        return self.sql.json_object(json_pairs([(f.key, self.field(plan.origin, f, row)) for f in plan.fields]))

    def field(self, origin: type, plan: FieldPlan, row: str) -> str:
        if plan.typename is not None:
            return literal(plan.typename)
        for class_ in origin.__mro__:
            write = FIELD_SQL.get((class_, plan.name or ""))
            if write is not None:
                value = write(self, plan, row)
                is_boolean = isinstance(plan.value, Leaf) and plan.value.scalar == "Boolean"
                return self.sql.boolean_column(value) if is_boolean else value
        raise CannotCompile(f"{origin.__name__}.{plan.name}")

    def object_of(self, plan: FieldPlan) -> SelectionPlan:
        return _object_selection(plan.value)

    def list_of_objects(self, plan: FieldPlan) -> SelectionPlan:
        if not isinstance(plan.value, ListOf):
            raise CannotCompile(f"{plan.key} is not a list")
        return _object_selection(plan.value.item)


def object_from(
    c: Compiler, selection: SelectionPlan, values: Mapping[str, Callable[[FieldPlan], str]], what: str
) -> str:
    """The JSON object of a selection whose fields are all in `values` (by Python name, each
    written from its field's plan only when asked for), or __typename."""
    pairs = []
    for f in selection.fields:
        if f.typename is not None:
            pairs.append((f.key, literal(f.typename)))
        elif f.name is not None and f.name in values:
            pairs.append((f.key, values[f.name](f)))
        else:
            raise CannotCompile(f"{what}.{f.name}")
    return c.sql.json_object(json_pairs(pairs))


def _object_selection(value: ValuePlan) -> SelectionPlan:
    if not isinstance(value, ObjectOf):
        raise CannotCompile("not a single object type")
    return value.selection


FieldSql = Callable[[Compiler, FieldPlan, str], str]

FIELD_SQL: dict[tuple[type, str], FieldSql] = {}  # filled by resolvers/planner/sql/catalogue.py
