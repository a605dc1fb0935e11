"""SQL for the public catalogue's fields, one entry per (strawberry type, field), each written
to give exactly what the type's Python code gives (schema/types/). A field missing here sends
its root field to the Python runner."""

from __future__ import annotations

from typing import Any

from models.queries.sessions import SessionWindow
from resolvers.planner.plan import FieldPlan
from resolvers.planner.sql.compiler import FIELD_SQL, Compiler, FieldSql
from resolvers.planner.sql.connections import Rows, connection_sql
from resolvers.planner.sql.snippets import (
    global_id,
    in_language,
    json_float,
    local_date,
    local_datetime,
    required,
)
from schema.pagination import page_args
from schema.types.center import Center
from schema.types.node import GeoPoint
from schema.types.place import Craft, District
from schema.types.session import Session
from schema.types.tour import TicketPrice, Tour
from schema.types.village import CraftVillage


def _column(name: str) -> FieldSql:
    return lambda _c, _f, row: f"{row}.{name}"


def _upper(name: str) -> FieldSql:
    """A Confidence: stored in lower case, named in upper case."""
    return lambda _c, _f, row: f"upper({row}.{name})"


def _moment(name: str) -> FieldSql:
    return lambda _c, _f, row: local_datetime(f"{row}.{name}")


def _date(name: str) -> FieldSql:
    return lambda _c, _f, row: local_date(f"{row}.{name}")


def _id(type_name: str) -> FieldSql:
    return lambda _c, _f, row: global_id(type_name, f"{row}.id")


def _texts(vi: str, en: str) -> FieldSql:
    return lambda c, _f, row: in_language(c.language, f"{row}.{vi}", f"{row}.{en}")


def _named(vi: str, en: str) -> FieldSql:
    """A name in the request's language, else the Vietnamese one (Tour.title, Craft.name)."""
    return lambda c, _f, row: (
        f"coalesce(nullif({in_language(c.language, f'{row}.{vi}', f'{row}.{en}')}, ''), {row}.{vi})"
    )


def _location(c: Compiler, plan: FieldPlan, row: str) -> str:
    return f"CASE WHEN {row}.lat IS NOT NULL AND {row}.lon IS NOT NULL THEN {c.selection(c.object_of(plan), row)} END"


def _one(table: str, key: str) -> FieldSql:
    """A to-one relation: the `table` row whose id is the parent's `key` column."""

    def write(c: Compiler, plan: FieldPlan, row: str) -> str:
        alias = c.alias("o")
        return f"(SELECT {c.selection(c.object_of(plan), alias)} FROM {table} {alias} WHERE {alias}.id = {row}.{key})"

    return write


def _feed(path: str) -> FieldSql:
    """A calendar feed's absolute URL (schema/urls.absolute_url) for the row's slug."""
    return lambda c, _f, row: f"{c.params.add(c.base_url.rstrip('/') + path, 'text')} || {row}.slug || '.ics'"


def _prices(c: Compiler, plan: FieldPlan, row: str) -> str:
    alias = c.alias("tp")
    item = c.selection(c.list_of_objects(plan), alias)
    return (
        f"(SELECT coalesce(json_agg({item} ORDER BY {alias}.position), '[]'::json) "
        f"FROM ticket_price {alias} WHERE {alias}.tour_id = {row}.id)"
    )


def _headline_price(_c: Compiler, _plan: FieldPlan, row: str) -> str:
    price = f"(SELECT price_vnd FROM ticket_price WHERE tour_id = {row}.id AND category = 'ADULT' LIMIT 1)"
    return required(price, row)


def _languages(_c: Compiler, _plan: FieldPlan, row: str) -> str:
    return f"to_json(array_remove(string_to_array({row}.languages, ','), ''))"


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
    rows = Rows(
        table="tour_session",
        row=s,
        where=sessions_where(s),
        order=(f"{s}.starts_at", f"{s}.id"),
        count=count,
        extra=", greatest(0, q.capacity - q.seats_taken + l.lapsed) AS free_seats",
        joins=f" CROSS JOIN LATERAL (SELECT {lapsed_seats(c, 'q')} AS lapsed) l",
    )
    return connection_sql(c, plan, page, rows, Session)


def _owned_tours(column: str) -> FieldSql:
    """CraftVillage.tours and Center.tours (models/queries/tours.tours_grouped_by)."""

    def write(c: Compiler, plan: FieldPlan, row: str) -> str:
        args = c.arguments(plan)
        page = page_args(args.get("first"), args.get("after"))
        t = c.alias("t")
        rows = Rows(
            table="tour",
            row=t,
            where=f"{t}.{column} = {row}.id AND NOT {t}.archived",
            order=(f"{t}.id",),
            count=lambda: f"SELECT count(*) FROM tour WHERE {column} = {row}.id AND NOT archived",
        )
        return connection_sql(c, plan, page, rows, Tour)

    return write


FIELD_SQL.update(
    {
        (Tour, "id"): _id("Tour"),
        (Tour, "slug"): _column("slug"),
        (Tour, "title"): _named("title", "title_en"),
        (Tour, "title_en"): _column("title_en"),
        (Tour, "description"): _texts("description", "description_en"),
        (Tour, "duration_minutes"): _column("duration_minutes"),
        (Tour, "duration_confidence"): _upper("duration_confidence"),
        (Tour, "languages"): _languages,
        (Tour, "max_seats_per_booking"): _column("max_per_booking"),
        (Tour, "booking_cutoff_minutes"): _column("booking_cutoff_minutes"),
        (Tour, "cancellation_cutoff_minutes"): _column("cancellation_cutoff_minutes"),
        (Tour, "sample"): _column("sample"),
        (Tour, "archived"): _column("archived"),
        (Tour, "calendar_url"): _feed("/calendar/tours/"),
        (Tour, "craft"): _one("craft", "craft_id"),
        (Tour, "price_vnd"): _headline_price,
        (Tour, "prices"): _prices,
        (Tour, "village"): _one("village", "village_id"),
        (Tour, "center"): _one("center", "center_id"),
        (Tour, "district"): _one("district", "district_id"),
        (Tour, "sessions"): _sessions,
        (TicketPrice, "category"): _column("category"),
        (TicketPrice, "label"): _column("label"),
        (TicketPrice, "price_vnd"): _column("price_vnd"),
        (TicketPrice, "confidence"): _upper("confidence"),
        (Session, "id"): _id("Session"),
        (Session, "starts_at"): _moment("starts_at"),
        (Session, "ends_at"): _moment("ends_at"),
        (Session, "capacity"): _column("capacity"),
        (Session, "seats_available"): _column("free_seats"),
        (Session, "status"): _column("status"),
        (Session, "availability"): _availability,
        (Session, "booking_closes_at"): _moment("booking_closes_at"),
        (Session, "waitlist_length"): _waitlist_length,
        (Session, "tour"): _one("tour", "tour_id"),
        (CraftVillage, "id"): _id("CraftVillage"),
        (CraftVillage, "slug"): _column("slug"),
        (CraftVillage, "name"): _column("name"),
        (CraftVillage, "name_en"): _column("name_en"),
        (CraftVillage, "location"): _location,
        (CraftVillage, "location_confidence"): _upper("location_confidence"),
        (CraftVillage, "description"): _texts("description", "description_en"),
        (CraftVillage, "craft"): _one("craft", "craft_id"),
        (CraftVillage, "district"): _one("district", "district_id"),
        (CraftVillage, "tours"): _owned_tours("village_id"),
        (Center, "id"): _id("Center"),
        (Center, "slug"): _column("slug"),
        (Center, "name"): _column("name"),
        (Center, "kind"): _column("kind"),
        (Center, "address"): _column("address"),
        (Center, "opened_on"): _date("opened_on"),
        (Center, "opened_on_confidence"): _upper("opened_on_confidence"),
        (Center, "closed_on"): _date("closed_on"),
        (Center, "location"): _location,
        (Center, "note"): _column("note"),
        (Center, "calendar_url"): _feed("/calendar/centers/"),
        (Center, "district"): _one("district", "district_id"),
        (Center, "village"): _one("village", "village_id"),
        (Center, "tours"): _owned_tours("center_id"),
        (District, "id"): _id("District"),
        (District, "code"): _column("code"),
        (District, "slug"): _column("slug"),
        (District, "name"): _column("name"),
        (District, "kind"): _column("kind"),
        (District, "location"): _location,
        (District, "valid_until"): _date("valid_until"),
        (Craft, "slug"): _column("slug"),
        (Craft, "name"): _named("name", "name_en"),
        (Craft, "name_en"): _column("name_en"),
        (GeoPoint, "lat"): lambda _c, _f, row: json_float(f"{row}.lat"),
        (GeoPoint, "lon"): lambda _c, _f, row: json_float(f"{row}.lon"),
    }
)
