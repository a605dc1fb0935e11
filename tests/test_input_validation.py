"""Hostile input: a clear error, nothing stored, never an internal error."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import World, gql, run_sql

HOLD = """mutation($i: HoldSeatsInput!) { holdSeats(input: $i) { __typename ... on UserError { code field } } }"""
SCHEDULE = """mutation($i: ScheduleSessionsInput!) { scheduleSessions(input: $i) { __typename ... on UserError { code field } } }"""
TOURS = "query($f: TourFilter, $n: Int) { tours(filter: $f, first: $n) { totalCount } }"


def stored(world: World) -> tuple[int, int]:
    bookings = run_sql(world.db.url, "SELECT count(*) FROM booking")[0][0]
    sessions = run_sql(world.db.url, "SELECT count(*) FROM tour_session")[0][0]
    return int(bookings), int(sessions)


def assert_refused_cleanly(body: dict[str, Any]) -> None:
    text = str(body)
    assert "INTERNAL_SERVER_ERROR" not in text and "Internal error" not in text
    errors = body.get("errors") or []
    user_errors = [v for v in (body.get("data") or {}).values() if isinstance(v, dict) and "code" in v]
    assert errors or user_errors, body


def hold(world: World, **contact_or_fields: Any) -> dict[str, Any]:
    fields = {
        "sessionId": world.session_id(),
        "tickets": [{"category": "ADULT", "quantity": 1}],
        "contact": {"name": "Lan"},
        "idempotencyKey": "v-1",
    }
    fields.update(contact_or_fields)
    return world.call(HOLD, {"i": fields})


@pytest.mark.parametrize(
    "fields",
    [
        {"contact": {"name": "N" * 201}},
        {"contact": {"name": "x" * 1_000_000}},
        {"contact": {"name": "Lan", "phone": "1" * 41}},
        {"contact": {"name": "Lan", "email": "a" * 250 + "@x.vn"}},
        {"contact": {"name": "Lan\u0007"}},
        {"contact": {"name": "Lan\u202e"}},
        {"idempotencyKey": "k" * 201},
        {"idempotencyKey": "key\nwith newline"},
        {"tickets": [{"category": "ADULT", "quantity": 2_147_483_647}]},
        {"tickets": [{"category": "ADULT", "quantity": 2_147_483_648}]},
        {"tickets": [{"category": "ADULT" * 10, "quantity": 1}]},
        {"holdMinutes": -2_147_483_648},
        {"sessionId": "'; DROP TABLE booking; --"},
    ],
)
def test_bad_booking_input(world: World, fields: dict[str, Any]) -> None:
    before = stored(world)
    assert_refused_cleanly(hold(world, **fields))
    assert stored(world) == before


def test_sql_metacharacters_are_just_text(world: World) -> None:
    name = "Robert'); DROP TABLE booking; --"
    assert hold(world, contact={"name": name})["data"]["holdSeats"]["__typename"] == "HoldSeatsSuccess"
    assert run_sql(world.db.url, "SELECT contact_name FROM booking")[0][0] == name
    result = world.call(TOURS, {"f": {"search": "' OR 1=1 --"}})
    assert result["data"]["tours"]["totalCount"] == 0


@pytest.mark.parametrize(
    "variables",
    [
        {"f": {"search": "x" * 201}},
        {"f": {"search": "x" * 50_000}},
        {"n": 2_147_483_648},
        {"f": {"minSeats": 0}},
        {"f": {"maxPriceVnd": -1}},
        {"f": {"startsAfter": "2026-12-05T09:00:00"}},
        {"f": {"startsAfter": "0800-01-01T00:00:00+07:00"}},
        {"f": {"startsBefore": "9999-12-31T23:59:59+07:00"}},
        {"f": {"near": {"lat": 1e308, "lon": 105, "radiusKm": 5}}},
    ],
)
def test_bad_read_arguments(world: World, variables: dict[str, Any]) -> None:
    assert_refused_cleanly(gql(world.client, TOURS, variables))


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinite_floats(world: World, token: str) -> None:
    query = "query($f: TourFilter) { tours(filter: $f) { totalCount } }"
    raw = (
        '{"query": "' + query + '", "variables": {"f": {"near": {"lat": ' + token + ', "lon": 105.8, "radiusKm": 5}}}}'
    )
    response = world.client.post("/graphql", content=raw, headers={"content-type": "application/json"})
    assert response.status_code in (200, 400)
    assert_refused_cleanly(response.json())


def test_invalid_utf8_and_broken_json(world: World) -> None:
    for raw in (
        b'{"query": "{ tours(filter: {search: \\"\xff\xfe\\"}) { totalCount } }"}',
        b'{"query": ',
        b"\x00\x01\x02",
    ):
        response = world.client.post("/graphql", content=raw, headers={"content-type": "application/json"})
        assert 400 <= response.status_code < 500, response.text


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"startsAt": "2026-12-20T09:30:00"}, "naive datetime"),
        ({"startsAt": "2999-01-01T09:00:00+07:00"}, "centuries away"),
        ({"startsAt": "2199-01-01T09:00:00+07:00"}, "beyond two years"),
        ({"startsAt": "2026-12-20T09:30:00+07:00", "capacity": 2_147_483_647}, "huge capacity"),
        ({"startsAt": "2026-12-20T09:30:00+07:00", "recurrence": "FREQ=DAILY;COUNT=" + "9" * 400}, "huge count"),
        ({"startsAt": "2026-12-20T09:30:00+07:00", "recurrence": "R" * 10_000}, "long rule"),
        ({"startsAt": "2026-12-20T09:30:00+07:00", "exceptDates": ["2026-02-30"]}, "impossible date"),
    ],
)
def test_bad_schedules(world: World, fields: dict[str, Any], why: str) -> None:
    tour_id = world.call('query { tour(slug: "phu-vinh-weaving") { id } }')["data"]["tour"]["id"]
    before = stored(world)
    body = world.call(SCHEDULE, {"i": {"tourId": tour_id, "capacity": 5, **fields}}, token=world.center_staff)
    assert_refused_cleanly(body)
    assert stored(world) == before, why


def test_nul_characters_are_refused(world: World) -> None:
    before = stored(world)
    body = world.call(TOURS, {"f": {"search": "ngu\u0000xa"}})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    literal = gql(world.client, '{ district(slug: "\\u0000") { name } }')
    assert literal["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert_refused_cleanly(hold(world, contact={"name": "Lan\u0000"}))
    assert stored(world) == before
