"""A center publishes, changes and archives its own tours."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import World, gql, make_token, run_sql

CREATE = """mutation($i: CreateTourInput!) { createTour(input: $i) { __typename
  ... on CreateTourSuccess { tour { id slug title titleEn sample archived durationMinutes languages
    translations { language title description } prices { category label priceVnd } center { slug } village { slug } } }
  ... on UserError { code field message } } }"""
UPDATE = """mutation($i: UpdateTourInput!) { updateTour(input: $i) { __typename
  ... on UpdateTourSuccess { tour { id durationMinutes prices { category priceVnd } } }
  ... on UserError { code field message } } }"""
ARCHIVE = """mutation($i: ArchiveTourInput!) { archiveTour(input: $i) { __typename
  ... on ArchiveTourSuccess { tour { archived } } ... on UserError { code field } } }"""
SCHEDULE = """mutation($i: ScheduleSessionsInput!) { scheduleSessions(input: $i) { __typename
  ... on ScheduleSessionsSuccess { sessions { id startsAt endsAt } } ... on UserError { code field message } } }"""
BOOK = """mutation($i: HoldSeatsInput!) { bookSeats(input: $i) { __typename
  ... on BookSeatsSuccess { booking { reference totalVnd } } ... on UserError { code field message } } }"""
SEARCH = """query($s: String) { tours(first: 100, filter: { search: $s }) { totalCount edges { node { slug } } } }"""


def center_id(world: World, slug: str = "dc-phu-nghia") -> str:
    edges = gql(world.client, "{ centers(first: 100) { edges { node { id slug } } } }")["data"]["centers"]["edges"]
    return str(next(e["node"]["id"] for e in edges if e["node"]["slug"] == slug))


def new_tour(**overrides: Any) -> dict[str, Any]:
    return {
        "craftSlug": "det-lua-to-tam",
        "texts": [
            {"language": "vi", "title": "Dệt thử một tấm khăn", "description": "Ngồi khung cửi cùng nghệ nhân."},
            {"language": "en", "title": "Weave a scarf", "description": "Sit at a loom with a master weaver."},
        ],
        "durationMinutes": 90,
        "prices": [
            {"category": "CHILD", "label": "Trẻ em / Child", "priceVnd": 150000},
            {"category": "ADULT", "label": "Người lớn / Adult", "priceVnd": 250000},
        ],
        "languages": ["vi", "en"],
        "maxPerBooking": 6,
        **overrides,
    }


def create(world: World, token: str | None = None, **overrides: Any) -> dict[str, Any]:
    data = {"centerId": center_id(world), **new_tour(**overrides)}
    return world.call(CREATE, {"i": data}, token=token or world.center_staff)["data"]["createTour"]


def schedule(world: World, tour_id: str, starts: str) -> dict[str, Any]:
    body = world.call(SCHEDULE, {"i": {"tourId": tour_id, "startsAt": starts, "capacity": 8}}, token=world.center_staff)
    return body["data"]["scheduleSessions"]


def book(world: World, session_id: str, key: str) -> dict[str, Any]:
    tickets = [{"category": "ADULT", "quantity": 2}]
    data = {"sessionId": session_id, "tickets": tickets, "contact": {"name": "Lan"}, "idempotencyKey": key}
    return world.call(BOOK, {"i": data})["data"]["bookSeats"]


def test_center_staff_publish_a_tour_found_in_either_language(world: World) -> None:
    result = create(world)
    assert result["__typename"] == "CreateTourSuccess"
    tour = result["tour"]
    assert tour["slug"] == "det-thu-mot-tam-khan" and tour["sample"] is False and tour["archived"] is False
    assert tour["center"] == {"slug": "dc-phu-nghia"} and tour["village"] == {"slug": "phu-vinh"}
    assert [p["category"] for p in tour["prices"]] == ["ADULT", "CHILD"]
    assert [t["language"] for t in tour["translations"]] == ["vi", "en"] and tour["titleEn"] == "Weave a scarf"
    for words in ("det thu", "Dệt thử", "weave a scarf", "SCARF"):
        slugs = [e["node"]["slug"] for e in gql(world.client, SEARCH, {"s": words})["data"]["tours"]["edges"]]
        assert tour["slug"] in slugs, words
    again = create(world)
    assert again["tour"]["slug"] == "det-thu-mot-tam-khan-2"


def test_only_the_hosting_center_or_the_programme_office_may_author(world: World) -> None:
    other_staff = make_token(world.db.url, "CENTER_STAFF", "Sơn Đồng staff", "dc-son-dong")
    refused = create(world, token=other_staff)
    assert (refused["__typename"], refused["field"]) == ("ForbiddenError", "centerId")
    admin = make_token(world.db.url, "ADMIN", "Programme office")
    assert create(world, token=admin)["__typename"] == "CreateTourSuccess"
    operator = world.call(CREATE, {"i": {"centerId": center_id(world), **new_tour()}})
    assert operator["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    tour = create(world)["tour"]
    tour_id = tour["id"]
    stored = run_sql(world.db.url, "SELECT duration_minutes, title FROM tour WHERE slug = :s", {"s": tour["slug"]})
    audited = run_sql(world.db.url, "SELECT count(*) FROM audit_entry")
    elsewhere = world.call(UPDATE, {"i": {"tourId": tour_id, "durationMinutes": 60}}, token=other_staff)
    assert (
        run_sql(world.db.url, "SELECT duration_minutes, title FROM tour WHERE slug = :s", {"s": tour["slug"]}) == stored
    )
    assert run_sql(world.db.url, "SELECT count(*) FROM audit_entry") == audited
    assert (elsewhere["data"]["updateTour"]["__typename"], elsewhere["data"]["updateTour"]["field"]) == (
        "ForbiddenError",
        "tourId",
    )


def test_a_price_change_keeps_booked_totals_and_a_duration_change_applies_afterwards(world: World) -> None:
    tour_id = create(world)["tour"]["id"]
    first = schedule(world, tour_id, "2026-12-10T09:00:00+07:00")["sessions"][0]
    booked = book(world, first["id"], "before-price-change")
    assert booked["booking"]["totalVnd"] == 500000
    changed = world.call(
        UPDATE,
        {
            "i": {
                "tourId": tour_id,
                "durationMinutes": 150,
                "prices": [{"category": "ADULT", "label": "Người lớn / Adult", "priceVnd": 300000}],
            }
        },
        token=world.center_staff,
    )["data"]["updateTour"]
    assert changed["tour"]["durationMinutes"] == 150 and changed["tour"]["prices"] == [
        {"category": "ADULT", "priceVnd": 300000}
    ]
    stored = run_sql(
        world.db.url, "SELECT total_vnd FROM booking WHERE reference = :r", {"r": booked["booking"]["reference"]}
    )
    assert stored == [(500000,)]
    assert book(world, first["id"], "after-price-change")["booking"]["totalVnd"] == 600000
    later = schedule(world, tour_id, "2026-12-11T09:00:00+07:00")["sessions"][0]
    assert first["endsAt"] == "2026-12-10T10:30:00+07:00" and later["endsAt"] == "2026-12-11T11:30:00+07:00"
    session = gql(world.client, "query($id: ID!) { node(id: $id) { ... on Session { endsAt } } }", {"id": first["id"]})
    assert session["data"]["node"]["endsAt"] == "2026-12-10T10:30:00+07:00"


def test_an_archived_tour_leaves_lists_but_keeps_its_sessions_bookings_and_feed(world: World) -> None:
    tour = create(world)["tour"]
    session = schedule(world, tour["id"], "2026-12-10T09:00:00+07:00")["sessions"][0]
    booking = book(world, session["id"], "kept")["booking"]
    archived = world.call(ARCHIVE, {"i": {"tourId": tour["id"]}}, token=world.center_staff)["data"]["archiveTour"]
    assert archived == {"__typename": "ArchiveTourSuccess", "tour": {"archived": True}}

    listed = [e["node"]["slug"] for e in gql(world.client, SEARCH, {"s": None})["data"]["tours"]["edges"]]
    assert tour["slug"] not in listed
    assert gql(world.client, SEARCH, {"s": "weave a scarf"})["data"]["tours"]["totalCount"] == 0
    hosted = gql(world.client, '{ tour(slug: "phu-vinh-weaving") { center { tours { edges { node { slug } } } } } }')
    assert tour["slug"] not in [e["node"]["slug"] for e in hosted["data"]["tour"]["center"]["tours"]["edges"]]
    found = gql(world.client, "query($s: String!) { tour(slug: $s) { archived } }", {"s": tour["slug"]})
    assert found["data"]["tour"] == {"archived": True}

    refused = schedule(world, tour["id"], "2026-12-12T09:00:00+07:00")
    assert (refused["code"], refused["field"]) == ("INVALID_INPUT", "tourId") and "archived" in refused["message"]
    closed = book(world, session["id"], "after-archive")
    assert closed["code"] == "SESSION_CLOSED" and "archived" in closed["message"]
    mine = world.call("query($r: String!) { booking(reference: $r) { status } }", {"r": booking["reference"]})
    assert mine["data"]["booking"] == {"status": "CONFIRMED"}
    feed = world.client.get(f"/calendar/tours/{tour['slug']}.ics")
    assert feed.status_code == 200 and b"BEGIN:VEVENT" in feed.content
    cancelled = world.call(
        "mutation($r: String!) { cancelBooking(input: {reference: $r}) { __typename } }", {"r": booking["reference"]}
    )
    assert cancelled["data"]["cancelBooking"]["__typename"] == "CancelBookingSuccess"


BAD_TOURS = [
    ({"prices": [{"category": "ADULT", "label": "A", "priceVnd": 0}]}, "INVALID_INPUT", "prices"),
    ({"prices": [{"category": "ADULT", "label": "A", "priceVnd": -5}]}, "INVALID_INPUT", "prices"),
    ({"prices": [{"category": "ADULT", "label": "A", "priceVnd": 100_000_001}]}, "INVALID_INPUT", "prices"),
    (
        {
            "prices": [
                {"category": "ADULT", "label": "A", "priceVnd": 1},
                {"category": "ADULT", "label": "B", "priceVnd": 2},
            ]
        },
        "INVALID_INPUT",
        "prices",
    ),
    ({"prices": [{"category": "CHILD", "label": "C", "priceVnd": 1}]}, "INVALID_INPUT", "prices"),
    ({"texts": [{"language": "en", "title": "English only"}]}, "INVALID_INPUT", "texts"),
    ({"texts": [{"language": "vi", "title": "Tên"}, {"language": "fr", "title": "Nom"}]}, "INVALID_INPUT", "texts"),
    ({"texts": [{"language": "vi", "title": "x" * 301}]}, "INVALID_INPUT", "texts.title"),
    ({"texts": [{"language": "vi", "title": "Tên\u0000"}]}, None, None),  # NUL: refused before execution
    ({"texts": [{"language": "vi", "title": "Tên\u0007"}]}, "INVALID_INPUT", "texts.title"),
    ({"craftSlug": "atlantis"}, "NOT_FOUND", "craftSlug"),
    ({"villageSlug": "atlantis"}, "NOT_FOUND", "villageSlug"),
    ({"durationMinutes": 5}, "INVALID_INPUT", "durationMinutes"),
    ({"languages": []}, "INVALID_INPUT", "languages"),
]


@pytest.mark.parametrize(("overrides", "code", "field"), BAD_TOURS)
def test_bad_tours_say_which_field_and_store_nothing(
    world: World, overrides: dict[str, Any], code: str | None, field: str | None
) -> None:
    tables = ("tour", "ticket_price", "audit_entry")
    before = [run_sql(world.db.url, f"SELECT count(*) FROM {t}")[0][0] for t in tables]
    body = world.call(CREATE, {"i": {"centerId": center_id(world), **new_tour(**overrides)}}, token=world.center_staff)
    if code is None:
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    else:
        result = body["data"]["createTour"]
        assert (result["code"], result["field"]) == (code, field), result
    assert [run_sql(world.db.url, f"SELECT count(*) FROM {t}")[0][0] for t in tables] == before
