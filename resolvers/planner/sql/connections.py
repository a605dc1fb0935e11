"""Relay connections in one SELECT: the page's rows (one more than asked, to learn whether a
page follows) are aggregated into edges, and pageInfo and totalCount are worked out beside
them, so a connection costs one subquery however many keys it asks for."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from resolvers.planner.plan import FieldPlan, SelectionPlan
from resolvers.planner.sql.compiler import Compiler, object_from
from resolvers.planner.sql.snippets import CannotCompile
from schema.pagination import Page


@dataclass(frozen=True, slots=True)
class Rows:
    """Where a connection's items come from: `table` rows (alias `row`) matching `where`, in
    `order` (expressions over the row written as {r}), with `extra` columns worked out for the
    page's rows only."""

    table: str
    row: str
    where: str
    order: tuple[str, ...]
    count: Callable[[], str]  # SQL counting every matching row, written only when asked for
    extra: str = ""  # ", <expr> AS <name>" over the alias q of the page's rows
    joins: str = ""  # lateral joins the extra columns read from
    # Count the matching rows while paging them: for rows that are all read to be ordered anyway
    # (tours by distance), so one pass finds them instead of two. Elsewhere an index hands the
    # page over without reading the rest, and `count` is cheaper than reading them.
    counted_with_page: bool = False


def connection_sql(c: Compiler, plan: FieldPlan, page: Page, rows: Rows, node_type: type) -> str:
    """The JSON of a connection field over `rows`, paged by `page`."""
    selection = c.object_of(plan)
    if selection.origin is None:
        raise CannotCompile("connection of no known type")
    p = c.alias("p")
    offset = c.params.add(page.offset, "int")
    limit = c.params.add(page.limit, "int")
    # Counted with the page only where the answer shows the count at all.
    counted_with_page = rows.counted_with_page and any(f.name == "total_count" for f in selection.fields)
    matching = ", count(*) OVER () AS matching_rows" if counted_with_page else ""
    page_rows = f"FROM (SELECT {rows.row}.*{matching} FROM {rows.table} {rows.row} WHERE {rows.where} "
    if _shows_positions(c, selection):
        # One row more than asked tells whether a page follows; positions give the cursors.
        source = (
            f"(SELECT q.*{rows.extra}, {offset} + row_number() OVER (ORDER BY {_ordered(rows, 'q')}) - 1 AS position "
            f"{page_rows}ORDER BY {_ordered(rows, rows.row)} LIMIT {limit} + 1 OFFSET {offset}) q{rows.joins}"
            f"{c.sql.page_rows_order('position')})"
        )
        items_order, shown_items = f"{p}.position", f"{p}.position < {offset} + {limit}"
    else:
        # Neither cursors nor pageInfo: just the page, and no window over each page's rows
        # (on SQLite that window cost a third of the tour list's statement).
        source = (
            f"(SELECT q.*{rows.extra} {page_rows}ORDER BY {_ordered(rows, rows.row)} LIMIT {limit} OFFSET {offset}) "
            f"q{rows.joins}{c.sql.page_rows_order(_ordered(rows, 'q'))})"
        )
        items_order, shown_items = _ordered(rows, p), None
    shown = c.sql.least("count(*)", limit)

    def edges(edges_plan: FieldPlan) -> str:
        return c.sql.page_items(_edge(c, edges_plan, p, node_type), items_order, shown_items)

    def total_count(_field: FieldPlan) -> str:
        if not counted_with_page:
            return f"({rows.count()})"
        # A page past the end has no rows to carry the count: only then is it counted apart.
        return f"coalesce(max({p}.matching_rows), ({rows.count()}))"

    values = {
        "total_count": total_count,
        "edges": edges,
        "page_info": lambda info: _page_info(c, c.object_of(info), offset, limit, shown),
    }
    pairs = object_from(c, selection, values, "Connection")
    return c.sql.one_row(pairs, f"{source} {p}")


def _shows_positions(c: Compiler, selection: SelectionPlan) -> bool:
    """Whether the answer says where its rows are: pageInfo, or an edge's cursor."""
    for f in selection.fields:
        if f.name == "page_info":
            return True
        if f.name == "edges" and any(e.name == "cursor" for e in c.list_of_objects(f).fields):
            return True
    return False


def _ordered(rows: Rows, alias: str) -> str:
    return ", ".join(o.format(r=alias) for o in rows.order)


def _edge(c: Compiler, plan: FieldPlan, p: str, node_type: type) -> str:
    edge = c.list_of_objects(plan)
    values = {
        "cursor": lambda _f: c.sql.cursor(f"{p}.position"),
        "node": lambda node: c.selection(_typed(c.object_of(node), node_type), p),
    }
    return object_from(c, edge, values, "Edge")


def _typed(selection: SelectionPlan, node_type: type) -> SelectionPlan:
    if selection.origin is None or not issubclass(selection.origin, node_type):
        raise CannotCompile("a node of another type")
    return selection


def _page_info(c: Compiler, selection: SelectionPlan, offset: str, limit: str, shown: str) -> str:
    values = {
        "has_next_page": lambda _f: c.sql.boolean(f"count(*) > {limit}"),
        "has_previous_page": lambda _f: c.sql.boolean(f"{offset} > 0"),
        "start_cursor": lambda _f: f"CASE WHEN {shown} > 0 THEN {c.sql.cursor(offset)} END",
        "end_cursor": lambda _f: f"CASE WHEN {shown} > 0 THEN {c.sql.cursor(f'{offset} + {shown} - 1')} END",
    }
    return object_from(c, selection, values, "PageInfo")
