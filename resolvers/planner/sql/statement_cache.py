"""Root-field statements kept per shape, so a request of a shape seen before writes no SQL.

A statement's text and parameters are a function of the field's plan, the request's language,
base URL and database, the document's variables, and the request's moment. The moment and the
variables' datetimes only ever become parameters (compared with stored times); everything else
may shape the text. So a statement is kept under the plan, language, base URL, database and the
variables with every datetime left out, and a later request with the same key gets the kept
text with its own moment and datetimes bound in their places.

Which parameter came from which datetime is known by identity: while the statement is written,
each datetime parameter must be the very object of one variable, or the request's moment. A
statement with any other datetime parameter (a literal in the document, or one worked out from
another) is not kept, so nothing derived from a time is ever reused.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from resolvers.context import Context
from resolvers.planner.plan import FieldPlan
from resolvers.planner.sql.dialect import Dialect
from resolvers.planner.sql.snippets import Params

NOW = ("now",)  # the source of the request's moment
Path = tuple[Any, ...]  # where in the variables a datetime is, or NOW


@dataclass(frozen=True, slots=True)
class _Kept:
    plan: FieldPlan  # the very plan (ids of collected plans may come back)
    sql: str | None  # None: the field has no statement
    params: tuple[Any, ...]
    rebinds: tuple[tuple[int, Path, str], ...]  # parameter index, its datetime's source, cast


Compile = Callable[[Params], str | None]


class StatementCache:
    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, _Kept] = OrderedDict()
        self.hits = 0  # statements answered from what was kept (tests read it)

    def statement(
        self,
        plan: FieldPlan,
        context: Context,
        dialect: Dialect,
        variables: Mapping[str, Any],
        compile_with: Compile,
    ) -> tuple[str, list[Any]] | None:
        """The statement and parameters of `plan` for this request (None where it has none),
        kept or written by `compile_with`, which writes the text into the Params it is given."""
        shape = _shape(variables)
        key = None if shape is None else (id(plan), context.language, context.base_url, dialect.name, shape[0])
        kept = self._kept.get(key) if key is not None else None
        if kept is not None and kept.plan is plan:
            self._kept.move_to_end(key)
            self.hits += 1
            return None if kept.sql is None else (kept.sql, _bound(kept, dialect, context.now, variables))
        params = Params(dialect)
        sql = compile_with(params)
        if key is not None and shape is not None:
            rebinds = _rebinds(params, shape[1], context.now)
            if rebinds is not None:
                self._keep(key, _Kept(plan, sql, tuple(params.values), rebinds))
        return None if sql is None else (sql, params.values)

    def _keep(self, key: Hashable, kept: _Kept) -> None:
        self._kept[key] = kept
        self._kept.move_to_end(key)
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)


def _shape(variables: Mapping[str, Any]) -> tuple[Hashable, dict[int, Path | None]] | None:
    """The variables as a key with their datetimes left out, and where each datetime object is
    (None for an object found in two places); None where a value cannot be part of a key."""
    where: dict[int, Path | None] = {}

    def walk(value: Any, path: Path) -> Hashable:
        if isinstance(value, datetime):
            where[id(value)] = None if id(value) in where else path
            return datetime
        if isinstance(value, Mapping):
            return tuple(sorted((k, walk(v, (*path, k))) for k, v in value.items()))
        if isinstance(value, list | tuple):
            return tuple(walk(v, (*path, i)) for i, v in enumerate(value))
        hash(value)  # TypeError for what cannot be a key
        return (type(value), value)

    try:
        return walk(dict(variables), ()), where
    except TypeError:
        return None


def _rebinds(params: Params, where: dict[int, Path | None], now: datetime) -> tuple[tuple[int, Path, str], ...] | None:
    """Where each datetime parameter came from; None if one came from anywhere else."""
    rebinds = []
    for index, (value, cast) in enumerate(params.given):
        if not isinstance(value, datetime):
            continue
        source = NOW if value is now else where.get(id(value))
        if source is None:
            return None
        rebinds.append((index, source, cast))
    return tuple(rebinds)


def _bound(kept: _Kept, dialect: Dialect, now: datetime, variables: Mapping[str, Any]) -> list[Any]:
    params = list(kept.params)
    for index, source, cast in kept.rebinds:
        value: Any = now
        if source is not NOW:
            value = variables
            for step in source:
                value = value[step]
        params[index] = dialect.param(index + 1, value, cast)[1]
    return params
