"""Relay connections in one SELECT: the page's rows (one more than asked, to learn whether a
page follows) are aggregated into edges, and pageInfo and totalCount are worked out beside
them, so a connection costs one subquery however many keys it asks for."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from resolvers.planner.plan import FieldPlan, SelectionPlan
from resolvers.planner.sql.compiler import Compiler
from resolvers.planner.sql.snippets import CannotCompile, cursor, json_object, literal
from schema.pagination import Page


@dataclass(frozen=True, slots=True)
class Rows:
    """Where a connection's items come from: `table` rows matching `where`, in `order` (SQL
    over the alias `row`), with `extra` columns worked out for the page's rows only."""

    table: str
    row: str
    where: str
    order: tuple[str, ...]
    count: Callable[[], str]  # SQL counting every matching row, written only when asked for
    extra: str = ""  # ", <expr> AS <name>" over the alias q of the page's rows
    joins: str = ""  # lateral joins the extra columns read from


def connection_sql(c: Compiler, plan: FieldPlan, page: Page, rows: Rows, node_type: type) -> str:
    """The JSON of a connection field over `rows`, paged by `page`."""
    selection = c.object_of(plan)
    if selection.origin is None:
        raise CannotCompile("connection of no known type")
    p = c.alias("p")
    offset = c.params.add(page.offset, "int")
    limit = c.params.add(page.limit, "int")
    order = ", ".join(o.replace(f"{rows.row}.", "q.") for o in rows.order)
    source = (
        f"(SELECT q.*{rows.extra}, {offset} + row_number() OVER (ORDER BY {order}) - 1 AS position "
        f"FROM (SELECT {rows.row}.* FROM {rows.table} {rows.row} WHERE {rows.where} "
        f"ORDER BY {', '.join(rows.order)} OFFSET {offset} LIMIT {limit} + 1) q{rows.joins})"
    )
    shown = f"least(count(*), {limit})"
    pairs = []
    for f in selection.fields:
        if f.typename is not None:
            pairs.append((f.key, literal(f.typename)))
        elif f.name == "total_count":
            pairs.append((f.key, f"({rows.count()})"))
        elif f.name == "edges":
            edges = f"json_agg({_edge(c, f, p, node_type)} ORDER BY {p}.position)"
            pairs.append((f.key, f"coalesce({edges} FILTER (WHERE {p}.position < {offset} + {limit}), '[]'::json)"))
        elif f.name == "page_info":
            pairs.append((f.key, _page_info(c.object_of(f), offset, limit, shown)))
        else:
            raise CannotCompile(f"connection field {f.name}")
    # GROUP BY (): one row even for an empty page, whether or not the keys aggregate
    return f"(SELECT {json_object(pairs)} FROM {source} {p} GROUP BY ())"


def _edge(c: Compiler, plan: FieldPlan, p: str, node_type: type) -> str:
    edge = c.list_of_objects(plan)
    pairs = []
    for f in edge.fields:
        if f.typename is not None:
            pairs.append((f.key, literal(f.typename)))
        elif f.name == "cursor":
            pairs.append((f.key, cursor(f"{p}.position")))
        elif f.name == "node":
            pairs.append((f.key, c.selection(_typed(c.object_of(f), node_type), p)))
        else:
            raise CannotCompile(f"edge field {f.name}")
    return json_object(pairs)


def _typed(selection: SelectionPlan, node_type: type) -> SelectionPlan:
    if selection.origin is None or not issubclass(selection.origin, node_type):
        raise CannotCompile("a node of another type")
    return selection


def _page_info(selection: SelectionPlan, offset: str, limit: str, shown: str) -> str:
    values = {
        "has_next_page": f"count(*) > {limit}",
        "has_previous_page": f"{offset} > 0",
        "start_cursor": f"CASE WHEN {shown} > 0 THEN {cursor(offset)} END",
        "end_cursor": f"CASE WHEN {shown} > 0 THEN {cursor(f'{offset} + {shown} - 1')} END",
    }
    pairs = []
    for f in selection.fields:
        if f.typename is not None:
            pairs.append((f.key, literal(f.typename)))
        elif f.name in values:
            pairs.append((f.key, values[f.name]))
        else:
            raise CannotCompile(f"pageInfo field {f.name}")
    return json_object(pairs)
