"""Centers publish and maintain sessions: scheduleSessions, updateSession, cancelSession."""

from __future__ import annotations

from typing import Any

import icalendar
import pytest

from tests.support import World, error_codes, make_token, run_sql

TOUR = 'query { tour(slug: "phu-vinh-weaving") { id sessions(first: 1) { edges { node { id } } } } }'
SCHEDULE = """mutation($i: ScheduleSessionsInput!) { scheduleSessions(input: $i) { __typename
  ... on ScheduleSessionsSuccess { sessions { id startsAt endsAt capacity seatsAvailable status } }
  ... on UserError { code message field } } }"""
UPDATE = """mutation($i: UpdateSessionInput!) { updateSession(input: $i) { __typename
  ... on UpdateSessionSuccess { session { startsAt endsAt capacity seatsAvailable bookingClosesAt } }
  ... on UserError { code message field } } }"""
CANCEL = """mutation($i: CancelSessionInput!) { cancelSession(input: $i) { __typename
  ... on CancelSessionSuccess { cancelledBookings session { status availability } }
  ... on UserError { code message } } }"""
BOOK = """mutation($i: HoldSeatsInput!) { bookSeats(input: $i) { ... on BookSeatsSuccess { booking { reference } } ... on UserError { code } } }"""
READ = """query($r: String!) { booking(reference: $r) { status cancelReason session { startsAt status }
  history { actor toStatus reason } } }"""


def tour_id(world: World) -> str:
    return str(world.call(TOUR)["data"]["tour"]["id"])


def schedule(world: World, token: str | None = None, **fields: Any) -> dict[str, Any]:
    variables = {"i": {"tourId": tour_id(world), "capacity": 12, **fields}}
    return world.call(SCHEDULE, variables, token=token or world.center_staff)


def session_count(world: World) -> int:
    return int(run_sql(world.db.url, "SELECT count(*) FROM tour_session")[0][0])


def book(world: World, session_id: str, seats: int, key: str) -> str:
    variables = {
        "i": {
            "sessionId": session_id,
            "tickets": [{"category": "ADULT", "quantity": seats}],
            "contact": {"name": "Lan"},
            "idempotencyKey": key,
        }
    }
    return str(world.call(BOOK, variables)["data"]["bookSeats"]["booking"]["reference"])


def test_one_session(world: World) -> None:
    result = schedule(world, startsAt="2026-12-05T11:00:00+07:00")["data"]["scheduleSessions"]
    assert [s["startsAt"] for s in result["sessions"]] == ["2026-12-05T11:00:00+07:00"]
    session = result["sessions"][0]
    assert session["endsAt"] == "2026-12-05T13:00:00+07:00" and session["capacity"] == 12 == session["seatsAvailable"]


def test_weekly_series_in_local_time_minus_exceptions(world: World) -> None:
    result = schedule(
        world, startsAt="2026-12-05T04:00:00Z", recurrence="FREQ=WEEKLY;BYDAY=SA,SU;COUNT=6", exceptDates=["2026-12-12"]
    )["data"]["scheduleSessions"]
    starts = [s["startsAt"] for s in result["sessions"]]
    assert starts == [
        "2026-12-05T11:00:00+07:00",
        "2026-12-06T11:00:00+07:00",
        "2026-12-13T11:00:00+07:00",
        "2026-12-19T11:00:00+07:00",
        "2026-12-20T11:00:00+07:00",
    ]


def test_monthly_series_until(world: World) -> None:
    result = schedule(
        world, startsAt="2026-12-15T16:30:00+07:00", recurrence="FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=15;UNTIL=20270801"
    )["data"]["scheduleSessions"]
    assert [s["startsAt"][:10] for s in result["sessions"]] == ["2026-12-15", "2027-02-15", "2027-04-15", "2027-06-15"]


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"recurrence": "FREQ=DAILY;COUNT=367"}, "COUNT must be between 1 and 366"),
        ({"recurrence": "FREQ=DAILY;UNTIL=20290101"}, "more than 366"),
        ({"recurrence": "FREQ=WEEKLY;UNTIL=20291231"}, "two years ahead"),
        ({"recurrence": "FREQ=YEARLY;COUNT=3"}, "FREQ must be DAILY, WEEKLY or MONTHLY"),
        ({"recurrence": "FREQ=DAILY"}, "give COUNT"),
        ({"recurrence": "FREQ=DAILY;BYHOUR=9;COUNT=2"}, "unsupported part BYHOUR"),
        ({"recurrence": "FREQ=WEEKLY;BYDAY=XX;COUNT=2"}, "BYDAY"),
        ({"startsAt": "2026-11-20T09:00:00+07:00"}, "in the future"),
        ({"startsAt": "2029-01-01T09:00:00+07:00"}, "two years ahead"),
        ({"capacity": 0}, "capacity must be between"),
        ({"recurrence": "FREQ=DAILY;COUNT=1", "exceptDates": ["2026-12-05"]}, "no session left"),
    ],
)
def test_bad_schedules_create_nothing(world: World, fields: dict[str, Any], words: str) -> None:
    before = session_count(world)
    result = schedule(world, **{"startsAt": "2026-12-05T11:00:00+07:00", **fields})["data"]["scheduleSessions"]
    assert result["code"] == "INVALID_INPUT" and words in result["message"]
    assert session_count(world) == before


def test_a_clash_with_an_existing_session_creates_nothing(world: World) -> None:
    before = session_count(world)
    result = schedule(world, startsAt="2026-12-03T09:00:00+07:00", recurrence="FREQ=DAILY;COUNT=3")
    body = result["data"]["scheduleSessions"]
    assert body["code"] == "INVALID_INPUT" and "2026-12-03T09:00:00+07:00" in body["message"]
    assert session_count(world) == before


def test_only_staff_of_the_hosting_center(world: World) -> None:
    other_center = make_token(world.db.url, "CENTER_STAFF", "Sơn Đồng staff", "dc-son-dong")
    result = schedule(world, token=other_center, startsAt="2026-12-05T11:00:00+07:00")["data"]["scheduleSessions"]
    assert result["code"] == "FORBIDDEN"
    assert error_codes(schedule(world, token=world.operator, startsAt="2026-12-05T11:00:00+07:00")) == ["FORBIDDEN"]
    anonymous = world.client.post(
        "/graphql",
        json={
            "query": SCHEDULE,
            "variables": {"i": {"tourId": tour_id(world), "capacity": 5, "startsAt": "2026-12-05T11:00:00+07:00"}},
        },
    ).json()
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]
    admin = make_token(world.db.url, "ADMIN", "Craftway admin")
    assert schedule(world, token=admin, startsAt="2026-12-05T11:00:00+07:00")["data"]["scheduleSessions"]["sessions"]


def test_update_capacity_never_below_seats_taken(world: World) -> None:
    session = world.session_id("phu-vinh-weaving")
    book(world, session, 6, "cap-1")
    refused = world.call(UPDATE, {"i": {"sessionId": session, "capacity": 5}}, token=world.center_staff)
    assert refused["data"]["updateSession"]["code"] == "CAPACITY_BELOW_BOOKED"
    changed = world.call(UPDATE, {"i": {"sessionId": session, "capacity": 6}}, token=world.center_staff)
    assert changed["data"]["updateSession"]["session"]["seatsAvailable"] == 0
    assert (
        world.call(UPDATE, {"i": {"sessionId": session}}, token=world.center_staff)["data"]["updateSession"]["code"]
        == "INVALID_INPUT"
    )


def test_moving_a_session_moves_its_bookings_and_their_feed(world: World) -> None:
    session = world.session_id("phu-vinh-weaving")
    reference = book(world, session, 2, "move-1")
    feed_url = world.call("{ viewer { calendarUrl } }")["data"]["viewer"]["calendarUrl"].removeprefix(
        "http://testserver"
    )
    before = icalendar.Calendar.from_ical(world.client.get(feed_url).content).walk("VEVENT")[0]
    moved = world.call(
        UPDATE, {"i": {"sessionId": session, "startsAt": "2026-12-02T10:30:00+07:00"}}, token=world.center_staff
    )["data"]["updateSession"]["session"]
    assert moved["startsAt"] == "2026-12-02T10:30:00+07:00" and moved["endsAt"] == "2026-12-02T12:30:00+07:00"
    assert moved["bookingClosesAt"] == "2026-12-02T08:30:00+07:00"
    assert world.call(READ, {"r": reference})["data"]["booking"]["session"]["startsAt"] == "2026-12-02T10:30:00+07:00"
    after = icalendar.Calendar.from_ical(world.client.get(feed_url).content).walk("VEVENT")[0]
    assert after["uid"] == before["uid"] and after["sequence"] > before["sequence"]
    assert after.decoded("dtstart").isoformat() == "2026-12-02T10:30:00+07:00"
    clash = world.call(
        UPDATE, {"i": {"sessionId": session, "startsAt": "2026-12-02T14:00:00+07:00"}}, token=world.center_staff
    )
    assert clash["data"]["updateSession"]["code"] == "INVALID_INPUT"


def test_cancel_session_cancels_its_bookings_in_one_step(world: World) -> None:
    session = world.session_id("phu-vinh-weaving")
    confirmed = book(world, session, 2, "c-1")
    held = world.call(
        """mutation($i: HoldSeatsInput!) { holdSeats(input: $i) { ... on HoldSeatsSuccess { booking { reference } } } }""",
        {
            "i": {
                "sessionId": session,
                "tickets": [{"category": "ADULT", "quantity": 1}],
                "contact": {"name": "Minh"},
                "idempotencyKey": "c-2",
            }
        },
    )["data"]["holdSeats"]["booking"]["reference"]
    result = world.call(
        CANCEL, {"i": {"sessionId": session, "reason": "Mưa bão / storm warning"}}, token=world.center_staff
    )["data"]["cancelSession"]
    assert result["cancelledBookings"] == 2 and result["session"] == {"status": "CANCELLED", "availability": "CLOSED"}
    for reference in (confirmed, held):
        booking = world.call(READ, {"r": reference})["data"]["booking"]
        assert booking["status"] == "CANCELLED" and booking["cancelReason"] == "Mưa bão / storm warning"
        assert booking["history"][-1] == {
            "actor": "Phú Nghĩa staff",
            "toStatus": "CANCELLED",
            "reason": "Mưa bão / storm warning",
        }
    again = world.call(CANCEL, {"i": {"sessionId": session}}, token=world.center_staff)["data"]["cancelSession"]
    assert again["code"] == "ALREADY_CANCELLED"
    feed_url = world.call("{ viewer { calendarUrl } }")["data"]["viewer"]["calendarUrl"].removeprefix(
        "http://testserver"
    )
    statuses = [
        str(e["status"]) for e in icalendar.Calendar.from_ical(world.client.get(feed_url).content).walk("VEVENT")
    ]
    assert statuses == ["CANCELLED", "CANCELLED"]
    assert int(run_sql(world.db.url, "SELECT seats_taken FROM tour_session WHERE status = 'CANCELLED'")[0][0]) == 0
    # Its slot is free again.
    assert (
        schedule(world, startsAt="2026-12-02T09:00:00+07:00")["data"]["scheduleSessions"]["__typename"]
        == "ScheduleSessionsSuccess"
    )
