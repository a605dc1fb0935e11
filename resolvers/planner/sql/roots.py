"""SQL for the root fields: `tours` (every filter but `near`, whose distances are worked out in
Python) and `tour(slug:)`; each gives the JSON text of its whole answer."""

from __future__ import annotations

from collections.abc import Callable

from models.queries.tours import TourSearch
from models.text import fold, like_pattern, slugify
from resolvers.planner.plan import FieldPlan
from resolvers.planner.sql.catalogue import window_sql
from resolvers.planner.sql.compiler import Compiler
from resolvers.planner.sql.connections import Rows, connection_sql
from resolvers.planner.sql.snippets import CannotCompile
from resolvers.tours import tour_search
from schema.pagination import page_args
from schema.types.tour import Tour


def _tour_conditions(c: Compiler, search: TourSearch, t: str) -> list[str]:
    """models/queries/tours._conditions over the tour alias `t`."""
    add = c.params.add
    conditions = [f"NOT {t}.archived"]
    if search.district_slug is not None:
        conditions.append(
            f"{t}.district_id = (SELECT id FROM district WHERE slug = {add(search.district_slug, 'text')})"
        )
    if search.village_slug is not None:
        village = f"(SELECT id FROM village WHERE slug = {add(search.village_slug, 'text')})"
        stop = f"EXISTS (SELECT 1 FROM tour_stop ts WHERE ts.tour_id = {t}.id AND ts.village_id = {village})"
        conditions.append(f"({t}.village_id = {village} OR {stop})")
    if search.center_slug is not None:
        conditions.append(f"{t}.center_id = (SELECT id FROM center WHERE slug = {add(search.center_slug, 'text')})")
    if search.craft is not None:
        conditions.append(f"{t}.craft_id = (SELECT id FROM craft WHERE slug = {add(slugify(search.craft), 'text')})")
    if search.search is not None and fold(search.search):
        conditions.append(f"{t}.search_text LIKE {add(like_pattern(fold(search.search)), 'text')} ESCAPE '\\'")
    if search.language is not None:
        pattern = like_pattern(f",{search.language.strip().lower()},")
        conditions.append(f"(',' || {t}.languages || ',') LIKE {add(pattern, 'text')} ESCAPE '\\'")
    if search.max_price_vnd is not None:
        conditions.append(
            f"EXISTS (SELECT 1 FROM ticket_price tp WHERE tp.tour_id = {t}.id AND tp.category = 'ADULT' "
            f"AND tp.price_vnd <= {add(search.max_price_vnd, 'int')})"
        )
    if search.wants_sessions:
        s = c.alias("s")
        window = " AND ".join(window_sql(c, search.sessions, s))
        conditions.append(f"EXISTS (SELECT 1 FROM tour_session {s} WHERE {s}.tour_id = {t}.id AND {window})")
    return conditions


def _tours(c: Compiler, plan: FieldPlan) -> str:
    """Query.tours (resolvers/tours.tour_page), in catalogue order."""
    args = c.arguments(plan)
    page = page_args(args.get("first"), args.get("after"))
    search = tour_search(args.get("filter"))
    if search.near is not None:
        raise CannotCompile("near: distances are worked out in Python")

    def count() -> str:
        counted = c.alias("t")
        return f"SELECT count(*) FROM tour {counted} WHERE {' AND '.join(_tour_conditions(c, search, counted))}"

    t = c.alias("t")
    rows = Rows(
        table="tour", row=t, where=" AND ".join(_tour_conditions(c, search, t)), order=(f"{t}.id",), count=count
    )
    return connection_sql(c, plan, page, rows, Tour)


def _tour(c: Compiler, plan: FieldPlan) -> str:
    """Query.tour(slug:), archived or not."""
    t = c.alias("t")
    slug = c.params.add(c.arguments(plan)["slug"], "text")
    return f"(SELECT {c.selection(c.object_of(plan), t)} FROM tour {t} WHERE {t}.slug = {slug})"


ROOT_SQL: dict[str, Callable[[Compiler, FieldPlan], str]] = {"tours": _tours, "tour": _tour}


def root_sql(c: Compiler, plan: FieldPlan) -> str:
    """The statement giving the JSON of root field `plan`; CannotCompile where it has none."""
    write = ROOT_SQL.get(plan.name or "")
    if write is None:
        raise CannotCompile(f"Query.{plan.name}")
    return f"SELECT {write(c, plan)}"
