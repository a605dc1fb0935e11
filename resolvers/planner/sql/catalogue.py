"""SQL for the public catalogue's fields, one entry per (strawberry type, field), each written
to give exactly what the type's Python code gives (schema/types/). A field missing here sends
its root field to the Python runner."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from models.queries.sessions import SessionWindow
from resolvers.planner.plan import FieldPlan
from resolvers.planner.sql.compiler import FIELD_SQL, Compiler, FieldSql, object_from
from resolvers.planner.sql.connections import Rows, connection_sql
from resolvers.planner.sql.snippets import in_language
from schema.pagination import page_args
from schema.types.center import Center
from schema.types.commune import Commune
from schema.types.node import GeoPoint
from schema.types.place import Craft, District
from schema.types.session import Session
from schema.types.tour import TicketPrice, Tour
from schema.types.village import CraftVillage


def column(name: str) -> FieldSql:
    return lambda _c, _f, row: f"{row}.{name}"


def confidence(name: str) -> FieldSql:
    """A Confidence: stored in lower case, named in upper case."""
    return lambda _c, _f, row: f"upper({row}.{name})"


def _moment(name: str) -> FieldSql:
    return lambda c, _f, row: c.sql.local_datetime(f"{row}.{name}")


def date_of(name: str) -> FieldSql:
    return lambda c, _f, row: c.sql.local_date(f"{row}.{name}")


def pk_id(type_name: str) -> FieldSql:
    return lambda c, _f, row: c.sql.global_id(type_name, f"{row}.id")


def _texts(vi: str, en: str) -> FieldSql:
    return lambda c, _f, row: in_language(c.language, f"{row}.{vi}", f"{row}.{en}")


def _named(vi: str, en: str) -> FieldSql:
    """A name in the request's language, else the Vietnamese one (Tour.title, Craft.name)."""
    return lambda c, _f, row: (
        f"coalesce(nullif({in_language(c.language, f'{row}.{vi}', f'{row}.{en}')}, ''), {row}.{vi})"
    )


def _location(c: Compiler, plan: FieldPlan, row: str) -> str:
    return f"CASE WHEN {row}.lat IS NOT NULL AND {row}.lon IS NOT NULL THEN {c.selection(c.object_of(plan), row)} END"


def one(table: str, key: str) -> FieldSql:
    """A to-one relation: the `table` row whose id is the parent's `key` column."""

    def write(c: Compiler, plan: FieldPlan, row: str) -> str:
        alias = c.alias("o")
        return c.sql.subquery(
            f"SELECT {c.selection(c.object_of(plan), alias)} FROM {table} {alias} WHERE {alias}.id = {row}.{key}"
        )

    return write


def _many(table: str, where: str, order: str, joins: str = "") -> FieldSql:
    """A to-many relation without paging: `table` rows (alias x) matching `where`, in `order`;
    both may name the parent row as {row} and the rows as x."""

    def write(c: Compiler, plan: FieldPlan, row: str) -> str:
        x = c.alias("x")
        item = c.selection(c.list_of_objects(plan), x)
        condition = where.format(row=row, x=x)
        return c.sql.json_list(item, f"{table} {x}{joins.format(row=row, x=x)} WHERE {condition}", order.format(x=x))

    return write


def _placed_in(link: str, key: str) -> FieldSql:
    """CraftVillage.commune, Center.commune: the commune a placement row names, if any."""

    def write(c: Compiler, plan: FieldPlan, row: str) -> str:
        x = c.alias("cm")
        return c.sql.subquery(
            f"SELECT {c.selection(c.object_of(plan), x)} FROM commune {x} JOIN {link} pl ON pl.commune_id = {x}.id "
            f"WHERE pl.{key} = {row}.id ORDER BY {x}.code LIMIT 1"
        )

    return write


def _centers_of_district(c: Compiler, plan: FieldPlan, row: str) -> str:
    kind = c.arguments(plan).get("kind")
    where = "{x}.district_id = {row}.id"
    if kind is not None:
        where += f" AND {{x}}.kind = {c.params.add(kind.value, 'text')}"
    return _many("center", where, "{x}.id")(c, plan, row)


def _translations(c: Compiler, plan: FieldPlan, row: str) -> str:
    """schema/types/tour.tour_texts: Vietnamese always, English where the tour has an English text."""
    texts: dict[str, dict[str, Callable[[FieldPlan], str]]] = {
        "vi": {
            "language": lambda _f: "'vi'",
            "title": lambda _f: f"{row}.title",
            "description": lambda _f: f"{row}.description",
        },
        "en": {
            "language": lambda _f: "'en'",
            "title": lambda _f: f"coalesce(nullif({row}.title_en, ''), {row}.title)",
            "description": lambda _f: f"{row}.description_en",
        },
    }
    selection = c.list_of_objects(plan)
    objects = {language: object_from(c, selection, values, "TourText") for language, values in texts.items()}
    has_english = f"(coalesce({row}.title_en, '') <> '' OR coalesce({row}.description_en, '') <> '')"
    vi, en = objects["vi"], objects["en"]
    return f"CASE WHEN {has_english} THEN {c.sql.json_array(f'{vi}, {en}')} ELSE {c.sql.json_array(vi)} END"


def _feed(path: str) -> FieldSql:
    """A calendar feed's absolute URL (schema/urls.absolute_url) for the row's slug."""
    return lambda c, _f, row: f"{c.params.add(c.base_url.rstrip('/') + path, 'text')} || {row}.slug || '.ics'"


def _prices(c: Compiler, plan: FieldPlan, row: str) -> str:
    alias = c.alias("tp")
    item = c.selection(c.list_of_objects(plan), alias)
    return c.sql.json_list(item, f"ticket_price {alias} WHERE {alias}.tour_id = {row}.id", f"{alias}.position")


def _headline_price(c: Compiler, _plan: FieldPlan, row: str) -> str:
    price = f"(SELECT price_vnd FROM ticket_price WHERE tour_id = {row}.id AND category = 'ADULT' LIMIT 1)"
    return c.sql.required(price, row)


def _languages(c: Compiler, _plan: FieldPlan, row: str) -> str:
    return c.sql.word_list(f"{row}.languages")


def _closed(c: Compiler, row: str) -> str:
    return f"({row}.status = 'CANCELLED' OR {c.now_sql()} >= {row}.booking_closes_at)"


def _availability(c: Compiler, _plan: FieldPlan, row: str) -> str:
    return (
        f"CASE WHEN {_closed(c, row)} THEN 'CLOSED' WHEN {row}.free_seats <= 0 THEN 'SOLD_OUT' "
        f"WHEN {row}.free_seats * 2 < {row}.capacity THEN 'LIMITED' ELSE 'AVAILABLE' END"
    )


def _waitlist_length(c: Compiler, _plan: FieldPlan, row: str) -> str:
    return f"CASE WHEN {_closed(c, row)} THEN 0 ELSE {row}.waitlist_length END"


def lapsed_seats(c: Compiler, session: str) -> str:
    """models/queries/availability.lapsed_hold_seats: HELD seats whose hold ran out by now."""
    return (
        f"coalesce((SELECT sum(b.seats) FROM booking b WHERE b.session_id = {session}.id "
        f"AND b.status = 'HELD' AND b.hold_expires_at <= {c.now_sql()}), 0)"
    )


def free_seats(c: Compiler, session: str, lapsed: str) -> str:
    """Seats left in `session`, given the seats of its lapsed holds: at least 0."""
    return c.sql.greatest("0", f"{session}.capacity - {session}.seats_taken + {lapsed}")


def sessions_with_seats(c: Compiler) -> str:
    """tour_session rows with `free_seats`, their seats left now (at least 0)."""
    return f"(SELECT q.*, {free_seats(c, 'q', lapsed_seats(c, 'q'))} AS free_seats FROM tour_session q)"


def window_sql(c: Compiler, window: SessionWindow, session: str) -> list[str]:
    """models/queries/sessions.window_conditions over the tour_session alias `session`."""
    conditions = []
    if window.starts_after is not None:
        conditions.append(f"{session}.starts_at > {c.params.add(window.starts_after, 'timestamptz')}")
    if window.starts_before is not None:
        conditions.append(f"{session}.starts_at < {c.params.add(window.starts_before, 'timestamptz')}")
    if window.only_available or window.min_seats is not None:
        conditions.append(f"{session}.status = 'SCHEDULED'")
        conditions.append(f"{session}.booking_closes_at > {c.now_sql()}")
        free = f"{session}.capacity - {session}.seats_taken + {lapsed_seats(c, session)}"
        conditions.append(f"{free} >= {c.params.add(max(1, window.min_seats or 1), 'int')}")
    return conditions


def _sessions(c: Compiler, plan: FieldPlan, row: str) -> str:
    """Tour.sessions (schema/types/tour.sessions_of_tour): from now unless startsAfter says."""
    args: dict[str, Any] = c.arguments(plan)
    page = page_args(args.get("first"), args.get("after"))
    starts_after = args.get("starts_after")
    window = SessionWindow(
        starts_after=starts_after if starts_after is not None else c.now,
        starts_before=args.get("starts_before"),
        only_available=bool(args.get("only_available")),
    )

    def sessions_where(s: str) -> str:
        return " AND ".join([f"{s}.tour_id = {row}.id", *window_sql(c, window, s)])

    def count() -> str:
        counted = c.alias("s")
        return f"SELECT count(*) FROM tour_session {counted} WHERE {sessions_where(counted)}"

    s = c.alias("s")
    seats_lapsed, joins = _lapsed_seats_of_page(c)
    rows = Rows(
        table="tour_session",
        row=s,
        where=sessions_where(s),
        order=("{r}.starts_at", "{r}.id"),
        count=count,
        extra=f", {free_seats(c, 'q', seats_lapsed)} AS free_seats",
        joins=joins,
    )
    return connection_sql(c, plan, page, rows, Session)


def _lapsed_seats_of_page(c: Compiler) -> tuple[str, str]:
    """The seats of lapsed holds of each of the page's sessions q, and the join that works them
    out (a lateral join where there is one, else the expression itself and no join)."""
    if c.sql.lateral():
        return "l.lapsed", f" CROSS JOIN LATERAL (SELECT {lapsed_seats(c, 'q')} AS lapsed) l"
    return lapsed_seats(c, "q"), ""


def _owned_tours(owner: str) -> FieldSql:
    """CraftVillage.tours and Center.tours (models/queries/tours.tours_grouped_by)."""

    def write(c: Compiler, plan: FieldPlan, row: str) -> str:
        args = c.arguments(plan)
        page = page_args(args.get("first"), args.get("after"))
        t = c.alias("t")
        rows = Rows(
            table="tour",
            row=t,
            where=f"{t}.{owner} = {row}.id AND NOT {t}.archived",
            order=("{r}.id",),
            count=lambda: f"SELECT count(*) FROM tour WHERE {owner} = {row}.id AND NOT archived",
        )
        return connection_sql(c, plan, page, rows, Tour)

    return write


FIELD_SQL.update(
    {
        (Tour, "id"): pk_id("Tour"),
        (Tour, "slug"): column("slug"),
        (Tour, "title"): _named("title", "title_en"),
        (Tour, "title_en"): column("title_en"),
        (Tour, "description"): _texts("description", "description_en"),
        (Tour, "duration_minutes"): column("duration_minutes"),
        (Tour, "duration_confidence"): confidence("duration_confidence"),
        (Tour, "languages"): _languages,
        (Tour, "max_seats_per_booking"): column("max_per_booking"),
        (Tour, "booking_cutoff_minutes"): column("booking_cutoff_minutes"),
        (Tour, "cancellation_cutoff_minutes"): column("cancellation_cutoff_minutes"),
        (Tour, "sample"): column("sample"),
        (Tour, "archived"): column("archived"),
        (Tour, "calendar_url"): _feed("/calendar/tours/"),
        (Tour, "craft"): one("craft", "craft_id"),
        (Tour, "price_vnd"): _headline_price,
        (Tour, "prices"): _prices,
        (Tour, "village"): one("village", "village_id"),
        (Tour, "translations"): _translations,
        (Tour, "also_villages"): _many(
            "village", "ts.tour_id = {row}.id", "ts.position", " JOIN tour_stop ts ON ts.village_id = {x}.id"
        ),
        (Tour, "center"): one("center", "center_id"),
        (Tour, "district"): one("district", "district_id"),
        (Tour, "sessions"): _sessions,
        (TicketPrice, "category"): column("category"),
        (TicketPrice, "label"): column("label"),
        (TicketPrice, "price_vnd"): column("price_vnd"),
        (TicketPrice, "confidence"): confidence("confidence"),
        (Session, "id"): pk_id("Session"),
        (Session, "starts_at"): _moment("starts_at"),
        (Session, "ends_at"): _moment("ends_at"),
        (Session, "capacity"): column("capacity"),
        (Session, "seats_available"): column("free_seats"),
        (Session, "status"): column("status"),
        (Session, "availability"): _availability,
        (Session, "booking_closes_at"): _moment("booking_closes_at"),
        (Session, "waitlist_length"): _waitlist_length,
        (Session, "tour"): one("tour", "tour_id"),
        (CraftVillage, "id"): pk_id("CraftVillage"),
        (CraftVillage, "slug"): column("slug"),
        (CraftVillage, "name"): column("name"),
        (CraftVillage, "name_en"): column("name_en"),
        (CraftVillage, "location"): _location,
        (CraftVillage, "location_confidence"): confidence("location_confidence"),
        (CraftVillage, "description"): _texts("description", "description_en"),
        (CraftVillage, "craft"): one("craft", "craft_id"),
        (CraftVillage, "district"): one("district", "district_id"),
        (CraftVillage, "tours"): _owned_tours("village_id"),
        (Center, "id"): pk_id("Center"),
        (Center, "slug"): column("slug"),
        (Center, "name"): column("name"),
        (Center, "kind"): column("kind"),
        (Center, "address"): column("address"),
        (Center, "opened_on"): date_of("opened_on"),
        (Center, "opened_on_confidence"): confidence("opened_on_confidence"),
        (Center, "closed_on"): date_of("closed_on"),
        (Center, "location"): _location,
        (Center, "note"): column("note"),
        (Center, "calendar_url"): _feed("/calendar/centers/"),
        (Center, "district"): one("district", "district_id"),
        (Center, "village"): one("village", "village_id"),
        (Center, "tours"): _owned_tours("center_id"),
        (District, "id"): pk_id("District"),
        (District, "code"): column("code"),
        (District, "slug"): column("slug"),
        (District, "name"): column("name"),
        (District, "kind"): column("kind"),
        (District, "location"): _location,
        (District, "valid_until"): date_of("valid_until"),
        (District, "villages"): _many("village", "{x}.district_id = {row}.id", "{x}.id"),
        (District, "centers"): _centers_of_district,
        (District, "communes"): _many(
            "commune", "co.district_id = {row}.id", "{x}.code", " JOIN commune_origin co ON co.commune_id = {x}.id"
        ),
        (CraftVillage, "commune"): _placed_in("village_placement", "village_id"),
        (Center, "commune"): _placed_in("center_placement", "center_id"),
        (Commune, "id"): pk_id("Commune"),
        (Commune, "code"): column("code"),
        (Commune, "slug"): column("slug"),
        (Commune, "name"): column("name"),
        (Commune, "full_name"): column("full_name"),
        (Commune, "kind"): column("kind"),
        (Commune, "valid_from"): date_of("valid_from"),
        (Commune, "location"): _location,
        (Commune, "formed_from"): _many(
            "district", "co.commune_id = {row}.id", "{x}.code", " JOIN commune_origin co ON co.district_id = {x}.id"
        ),
        (Craft, "slug"): column("slug"),
        (Craft, "name"): _named("name", "name_en"),
        (Craft, "name_en"): column("name_en"),
        (GeoPoint, "lat"): lambda c, _f, row: c.sql.json_float(f"{row}.lat"),
        (GeoPoint, "lon"): lambda c, _f, row: c.sql.json_float(f"{row}.lon"),
    }
)
