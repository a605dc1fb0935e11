"""SQL for the root fields: the lists (`tours`, `villages`, `centers`, `ocopProducts` and
`districts`; every filter but `near`, whose distances are worked out in Python) and the
look-ups by slug. Each gives the JSON of its whole answer."""

from __future__ import annotations

from collections.abc import Callable

from models.queries.tours import TourSearch
from models.text import like_pattern, slugify
from resolvers.planner.plan import FieldPlan, OneOf
from resolvers.planner.sql.catalogue import sessions_with_seats, window_sql
from resolvers.planner.sql.compiler import Compiler
from resolvers.planner.sql.conditions import id_by_slug, matching_words, named_by_slug
from resolvers.planner.sql.connections import Rows, connection_sql
from resolvers.planner.sql.near import tours_near
from resolvers.planner.sql.products import product_conditions, product_rows
from resolvers.planner.sql.snippets import CannotCompile
from resolvers.products import product_search
from resolvers.tours import tour_search
from schema.ids import decode_id
from schema.pagination import page_args
from schema.types.center import Center
from schema.types.commune import Commune
from schema.types.place import District
from schema.types.product import OcopProduct
from schema.types.session import Session
from schema.types.tour import Tour
from schema.types.village import CraftVillage

Conditions = Callable[[str], list[str]]


def _tour_conditions(c: Compiler, search: TourSearch, t: str) -> list[str]:
    """models/queries/tours._conditions over the tour alias `t`."""
    add = c.params.add
    conditions = [f"NOT {t}.archived", *named_by_slug(c, "district", search.district_slug, f"{t}.district_id")]
    if search.village_slug is not None:
        village = id_by_slug(c, "village", search.village_slug)
        stop = f"EXISTS (SELECT 1 FROM tour_stop ts WHERE ts.tour_id = {t}.id AND ts.village_id = {village})"
        conditions.append(f"({t}.village_id = {village} OR {stop})")
    conditions += named_by_slug(c, "center", search.center_slug, f"{t}.center_id")
    if search.craft is not None:
        conditions += named_by_slug(c, "craft", slugify(search.craft), f"{t}.craft_id")
    conditions += matching_words(c, search.search, f"{t}.search_text")
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


def _listed(c: Compiler, table: str, where: Conditions, order: str = "id") -> Rows:
    """`table` rows matching `where(alias)`, in `order` (catalogue order by default)."""
    x = c.alias("r")

    def count() -> str:
        counted = c.alias("r")
        return f"SELECT count(*) FROM {table} {counted} WHERE {' AND '.join(['true', *where(counted)])}"

    return Rows(table=table, row=x, where=" AND ".join(["true", *where(x)]), order=(f"{{r}}.{order}",), count=count)


def _tours(c: Compiler, plan: FieldPlan) -> str:
    """Query.tours (resolvers/tours.tour_page)."""
    args = c.arguments(plan)
    page = page_args(args.get("first"), args.get("after"))
    search = tour_search(args.get("filter"))

    def where(t: str) -> list[str]:
        return _tour_conditions(c, search, t)

    rows = _listed(c, "tour", where) if search.near is None else tours_near(c, search.near, where)
    return connection_sql(c, plan, page, rows, Tour)


def _villages(c: Compiler, plan: FieldPlan) -> str:
    """Query.villages (models/queries/places.find_villages)."""
    args = c.arguments(plan)
    page = page_args(args.get("first"), args.get("after"))

    def where(v: str) -> list[str]:
        district = named_by_slug(c, "district", args.get("district_slug"), f"{v}.district_id")
        return district + matching_words(c, args.get("search"), f"{v}.search_text")

    return connection_sql(c, plan, page, _listed(c, "village", where), CraftVillage)


def _centers(c: Compiler, plan: FieldPlan) -> str:
    """Query.centers (models/queries/places.find_centers)."""
    args = c.arguments(plan)
    page = page_args(args.get("first"), args.get("after"))
    kind = args.get("kind")

    def where(x: str) -> list[str]:
        conditions = named_by_slug(c, "district", args.get("district_slug"), f"{x}.district_id")
        if kind is not None:
            conditions.append(f"{x}.kind = {c.params.add(kind.name, 'text')}")
        return conditions

    return connection_sql(c, plan, page, _listed(c, "center", where), Center)


def _communes(c: Compiler, plan: FieldPlan) -> str:
    """Query.communes (models/queries/places.find_communes): by code."""
    args = c.arguments(plan)
    page = page_args(args.get("first"), args.get("after"))
    rows = _listed(c, "commune", lambda x: matching_words(c, args.get("search"), f"{x}.search_text"), order="code")
    return connection_sql(c, plan, page, rows, Commune)


def _products(c: Compiler, plan: FieldPlan) -> str:
    """Query.ocopProducts (resolvers/products.product_page)."""
    args = c.arguments(plan)
    page = page_args(args.get("first"), args.get("after"))
    search = product_search(args.get("filter"))
    if search.near is not None:
        raise CannotCompile("near: distances are worked out in Python")
    rows = product_rows(c, lambda p: product_conditions(c, search, p))
    return connection_sql(c, plan, page, rows, OcopProduct)


def _districts(c: Compiler, plan: FieldPlan) -> str:
    """Query.districts (models/queries/places.list_districts): by code."""
    d = c.alias("d")
    kind = c.arguments(plan).get("kind")
    where = "true" if kind is None else f"{d}.kind = {c.params.add(kind.name, 'text')}"
    item = c.selection(c.list_of_objects(plan), d)
    return c.sql.json_list(item, f"district {d} WHERE {where}", f"{d}.code")


def _node(c: Compiler, plan: FieldPlan) -> str:
    """Query.node on the public types (resolvers/node.public_node): null for any other id."""
    decoded = decode_id(c.arguments(plan)["id"])
    if decoded is None or decoded[0] not in NODE_TABLES:
        return c.sql.null_json()
    type_name, pk = decoded
    class_, table = NODE_TABLES[type_name]
    selection = plan.value.selections.get(class_) if isinstance(plan.value, OneOf) else None
    if selection is None:
        raise CannotCompile(f"node of type {type_name}")
    x = c.alias("r")
    rows = sessions_with_seats(c) if table is None else table
    return c.sql.subquery(
        f"SELECT {c.selection(selection, x)} FROM {rows} {x} WHERE {x}.id = {c.params.add(pk, 'bigint')}"
    )


NODE_TABLES: dict[str, tuple[type, str | None]] = {
    "District": (District, "district"),
    "Commune": (Commune, "commune"),
    "CraftVillage": (CraftVillage, "village"),
    "Center": (Center, "center"),
    "Tour": (Tour, "tour"),
    "Session": (Session, None),  # with its seats left: catalogue.sessions_with_seats
    "OcopProduct": (OcopProduct, "product"),
}


def _by_slug(table: str) -> Callable[[Compiler, FieldPlan], str]:
    """A look-up by slug (models/queries/places.by_slug): null where there is none."""

    def write(c: Compiler, plan: FieldPlan) -> str:
        x = c.alias("r")
        slug = c.params.add(c.arguments(plan)["slug"], "text")
        return c.sql.subquery(f"SELECT {c.selection(c.object_of(plan), x)} FROM {table} {x} WHERE {x}.slug = {slug}")

    return write


ROOT_SQL: dict[str, Callable[[Compiler, FieldPlan], str]] = {
    "tours": _tours,
    "tour": _by_slug("tour"),
    "villages": _villages,
    "centers": _centers,
    "ocop_products": _products,
    "ocop_product": _by_slug("product"),
    "districts": _districts,
    "node": _node,
    "district": _by_slug("district"),
    "communes": _communes,
    "commune": _by_slug("commune"),
}


def root_sql(c: Compiler, plan: FieldPlan) -> str:
    """The statement giving the JSON of root field `plan`; CannotCompile where it has none."""
    write = ROOT_SQL.get(plan.name or "")
    if write is None:
        raise CannotCompile(f"Query.{plan.name}")
    return f"SELECT {write(c, plan)}"
