"""Booking flows over HTTP with real tokens: hold, book, confirm, cancel, expiry, idempotency,
isolation, history. Each test gets its own seeded database."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import World, error_codes, gql, run_sql

HOLD = """mutation($i: HoldSeatsInput!) { holdSeats(input: $i) { __typename
  ... on HoldSeatsSuccess { booking { id reference status seats totalVnd holdExpiresAt tickets { category quantity }
        contact { name phone email } session { id seatsAvailable } } }
  ... on NotEnoughSeatsError { seatsAvailable }
  ... on UserError { code message field } } }"""
BOOK = HOLD.replace("holdSeats", "bookSeats").replace("HoldSeatsSuccess", "BookSeatsSuccess")
CONFIRM = """mutation($r: String!) { confirmBooking(input: {reference: $r}) { __typename
  ... on ConfirmBookingSuccess { booking { status confirmedAt holdExpiresAt session { seatsAvailable } } }
  ... on UserError { code message } } }"""
CANCEL = """mutation($r: String!, $why: String) { cancelBooking(input: {reference: $r, reason: $why}) { __typename
  ... on CancelBookingSuccess { booking { status cancelledAt session { seatsAvailable } } }
  ... on UserError { code message } } }"""
READ = """query($r: String!) { booking(reference: $r) { reference status seats contact { name }
  history { actor fromStatus toStatus reason } } }"""


def hold_input(session_id: str, key: str, tickets: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    default = [{"category": "ADULT", "quantity": 2}]
    return {
        "i": {
            "sessionId": session_id,
            "tickets": default if tickets is None else tickets,
            "contact": {"name": "Nguyễn Thị Lan", "phone": "+84 912 345 678", "email": "lan@example.vn"},
            "idempotencyKey": key,
            **extra,
        }
    }


def test_hold_then_confirm(world: World) -> None:
    session = world.session_id()
    held = world.call(HOLD, hold_input(session, "k-1"))["data"]["holdSeats"]
    assert held["__typename"] == "HoldSeatsSuccess"
    booking = held["booking"]
    assert booking["status"] == "HELD" and booking["seats"] == 2 and booking["totalVnd"] == 400_000
    assert booking["holdExpiresAt"] == "2026-12-01T08:15:00+07:00"  # 15 minutes after T0
    assert booking["session"]["seatsAvailable"] == 8
    assert booking["contact"] == {"name": "Nguyễn Thị Lan", "phone": "+84 912 345 678", "email": "lan@example.vn"}
    assert len(booking["reference"]) == 9 and booking["reference"][4] == "-"
    confirmed = world.call(CONFIRM, {"r": booking["reference"]})["data"]["confirmBooking"]
    assert confirmed["booking"]["status"] == "CONFIRMED" and confirmed["booking"]["holdExpiresAt"] is None
    assert confirmed["booking"]["session"]["seatsAvailable"] == 8
    again = world.call(CONFIRM, {"r": booking["reference"].lower().replace("-", "")})["data"]["confirmBooking"]
    assert again["__typename"] == "ConfirmBookingSuccess"


def test_book_in_one_step_prices_every_category_on_the_server(world: World) -> None:
    session = world.session_id("bat-trang-museum-wheel")
    tickets = [{"category": "ADULT", "quantity": 2}, {"category": "child", "quantity": 3}]
    booked = world.call(BOOK, hold_input(session, "k-2", tickets))["data"]["bookSeats"]["booking"]
    assert booked["status"] == "CONFIRMED" and booked["holdExpiresAt"] is None
    assert booked["totalVnd"] == 2 * 70_000 + 3 * 50_000 and booked["seats"] == 5
    assert booked["tickets"] == [{"category": "ADULT", "quantity": 2}, {"category": "CHILD", "quantity": 3}]


def test_cancel_frees_seats_and_cannot_repeat(world: World) -> None:
    session = world.session_id()
    reference = world.call(BOOK, hold_input(session, "k-3"))["data"]["bookSeats"]["booking"]["reference"]
    cancelled = world.call(CANCEL, {"r": reference, "why": "group postponed"})["data"]["cancelBooking"]
    assert cancelled["booking"]["status"] == "CANCELLED" and cancelled["booking"]["session"]["seatsAvailable"] == 10
    assert world.call(CANCEL, {"r": reference})["data"]["cancelBooking"]["code"] == "ALREADY_CANCELLED"
    assert world.call(CONFIRM, {"r": reference})["data"]["confirmBooking"]["code"] == "ALREADY_CANCELLED"


@pytest.mark.parametrize(
    ("tickets", "extra", "field", "words"),
    [
        ([{"category": "SENIOR", "quantity": 1}], {}, "tickets", "no SENIOR tickets"),
        ([{"category": "ADULT", "quantity": 0}], {}, "tickets", "at least 1"),
        ([{"category": "ADULT", "quantity": -4}], {}, "tickets", "at least 1"),
        ([{"category": "ADULT", "quantity": 11}], {}, "tickets", "at most 10 seats per booking"),
        ([], {}, "tickets", "at least one"),
        (None, {"holdMinutes": 61}, "holdMinutes", "between 1 and 60"),
        (None, {"holdMinutes": 0}, "holdMinutes", "between 1 and 60"),
        (None, {"idempotencyKey": "   "}, "idempotencyKey", "required"),
        (None, {"contact": {"name": ""}}, "contact.name", "required"),
        (None, {"contact": {"name": "Lan\x07"}}, "contact.name", "control characters"),
        (None, {"contact": {"name": "Lan", "email": "not-an-email"}}, "contact.email", "e-mail"),
        (None, {"sessionId": "VG91cjox"}, "sessionId", "not a Session id"),
    ],
)
def test_bad_input_is_a_clear_error_and_stores_nothing(
    world: World, tickets: Any, extra: dict[str, Any], field: str, words: str
) -> None:
    session = world.session_id()
    result = world.call(HOLD, hold_input(session, "k-bad", tickets, **extra))["data"]["holdSeats"]
    assert result["code"] == "INVALID_INPUT" and result["field"] == field and words in result["message"]
    assert world.bookings_stored() == 0 and world.seats_available(session) == 10


def test_unknown_session_is_not_found(world: World) -> None:
    result = world.call(HOLD, hold_input("U2Vzc2lvbjo5OTk5OTk5", "k"))["data"]["holdSeats"]
    assert result["code"] == "NOT_FOUND" and world.bookings_stored() == 0


def test_closed_sessions_cannot_be_booked(world: World) -> None:
    first, second = world.session_id(), world.session_id(index=1)
    world.clock.advance(hours=23)  # 07:00 on 2 Dec: the 09:00 session closed at 07:00
    result = world.call(HOLD, hold_input(first, "k-late"))["data"]["holdSeats"]
    assert result["code"] == "SESSION_CLOSED" and "closed at 2026-12-02T07:00:00+07:00" in result["message"]
    run_sql(world.db.url, "UPDATE tour_session SET status = 'CANCELLED'")
    assert world.call(HOLD, hold_input(second, "k-cancelled"))["data"]["holdSeats"]["code"] == "SESSION_CLOSED"
    world.clock.advance(days=2)
    assert world.call(HOLD, hold_input(first, "k-past"))["data"]["holdSeats"]["code"] == "SESSION_CLOSED"
    assert world.bookings_stored() == 0


def test_not_enough_seats_says_how_many_are_left(world: World) -> None:
    session = world.session_id()
    world.call(BOOK, hold_input(session, "k-a", [{"category": "ADULT", "quantity": 8}]))
    result = world.call(HOLD, hold_input(session, "k-b", [{"category": "ADULT", "quantity": 3}]))["data"]["holdSeats"]
    assert result["code"] == "NOT_ENOUGH_SEATS" and result["seatsAvailable"] == 2
    assert world.bookings_stored() == 1


def test_an_expired_hold_stops_counting_by_time_alone(world: World) -> None:
    session = world.session_id()
    held = world.call(HOLD, hold_input(session, "k-exp", [{"category": "ADULT", "quantity": 10}], holdMinutes=5))
    reference = held["data"]["holdSeats"]["booking"]["reference"]
    assert world.seats_available(session) == 0
    world.clock.advance(minutes=5)
    assert world.seats_available(session) == 10  # nothing ran in between: time alone freed them
    assert world.call(READ, {"r": reference})["data"]["booking"]["status"] == "EXPIRED"
    refused = world.call(CONFIRM, {"r": reference})["data"]["confirmBooking"]
    assert refused["code"] == "HOLD_EXPIRED"
    history = world.call(READ, {"r": reference})["data"]["booking"]["history"]
    assert [h["toStatus"] for h in history] == ["HELD", "EXPIRED"] and history[1]["actor"] == "Craftway"
    # The freed seats can be taken again, all of them.
    retaken = world.call(BOOK, hold_input(session, "k-again", [{"category": "ADULT", "quantity": 10}]))
    assert retaken["data"]["bookSeats"]["booking"]["status"] == "CONFIRMED"
    assert int(run_sql(world.db.url, "SELECT max(seats_taken) FROM tour_session")[0][0]) == 10


def test_cancellation_cut_off(world: World) -> None:
    session = world.session_id()  # 09:00 on 2 Dec, cancellation closes 24 h before
    reference = world.call(BOOK, hold_input(session, "k-cut"))["data"]["bookSeats"]["booking"]["reference"]
    world.clock.advance(hours=2)  # 10:00 on 1 Dec, within 24 h of the session
    refused = world.call(CANCEL, {"r": reference})["data"]["cancelBooking"]
    assert refused["code"] == "CANCELLATION_CLOSED" and "2026-12-01T09:00:00+07:00" in refused["message"]
    assert world.call(READ, {"r": reference})["data"]["booking"]["status"] == "CONFIRMED"


def test_idempotent_replays_and_conflicts(world: World) -> None:
    session = world.session_id()
    first = world.call(HOLD, hold_input(session, "same-key"))["data"]["holdSeats"]["booking"]
    replay = world.call(HOLD, hold_input(session, "same-key"))["data"]["holdSeats"]["booking"]
    assert replay["reference"] == first["reference"] and world.bookings_stored() == 1
    assert world.seats_available(session) == 8
    conflict = world.call(HOLD, hold_input(session, "same-key", [{"category": "ADULT", "quantity": 3}]))
    assert conflict["data"]["holdSeats"]["code"] == "IDEMPOTENCY_CONFLICT"
    other_op = world.call(BOOK, hold_input(session, "same-key"))["data"]["bookSeats"]
    assert other_op["code"] == "IDEMPOTENCY_CONFLICT"  # same key, other mutation: a different request
    world.clock.advance(minutes=20)
    after_expiry = world.call(HOLD, hold_input(session, "same-key"))["data"]["holdSeats"]["booking"]
    assert after_expiry["reference"] == first["reference"] and after_expiry["status"] == "EXPIRED"
    # Keys belong to the operator: another operator's same key is its own new booking.
    theirs = world.call(HOLD, hold_input(session, "same-key"), token=world.other_operator)["data"]["holdSeats"]
    assert theirs["booking"]["reference"] != first["reference"]
    assert world.bookings_stored() == 2


def test_operators_see_and_change_only_their_own_bookings(world: World) -> None:
    session = world.session_id()
    mine = world.call(BOOK, hold_input(session, "iso"))["data"]["bookSeats"]["booking"]
    other = world.other_operator
    assert world.call(READ, {"r": mine["reference"]}, token=other)["data"] == {"booking": None}
    assert world.call(CANCEL, {"r": mine["reference"]}, token=other)["data"]["cancelBooking"]["code"] == "NOT_FOUND"
    assert world.call(CONFIRM, {"r": mine["reference"]}, token=other)["data"]["confirmBooking"]["code"] == "NOT_FOUND"
    node = world.call("query($id: ID!) { node(id: $id) { id } }", {"id": mine["id"]}, token=other)
    assert node["data"] == {"node": None}
    bookings = world.call("{ viewer { bookings { totalCount } } }", token=other)
    assert bookings["data"]["viewer"]["bookings"]["totalCount"] == 0
    own = world.call("{ viewer { role name bookings(status: CONFIRMED) { totalCount edges { node { reference } } } } }")
    assert own["data"]["viewer"]["name"] == "Hanoi Heritage Tours"
    assert own["data"]["viewer"]["bookings"]["edges"] == [{"node": {"reference": mine["reference"]}}]


def test_history_records_every_change(world: World) -> None:
    reference = world.call(HOLD, hold_input(world.session_id(), "hist"))["data"]["holdSeats"]["booking"]["reference"]
    world.call(CONFIRM, {"r": reference})
    world.call(CANCEL, {"r": reference, "why": "weather"})
    history = world.call(READ, {"r": reference})["data"]["booking"]["history"]
    assert [(h["fromStatus"], h["toStatus"]) for h in history] == [
        (None, "HELD"),
        ("HELD", "CONFIRMED"),
        ("CONFIRMED", "CANCELLED"),
    ]
    assert {h["actor"] for h in history} == {"Hanoi Heritage Tours"} and history[-1]["reason"] == "weather"


def test_authentication_and_roles(world: World) -> None:
    hold = hold_input(world.session_id(), "auth")
    anonymous = gql(world.client, HOLD, hold)
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]
    assert error_codes(world.call(HOLD, hold, token="cw_not-a-real-token")) == ["UNAUTHENTICATED"]
    assert error_codes(world.call(HOLD, hold, token=world.center_staff)) == ["FORBIDDEN"]
    assert error_codes(world.call("{ viewer { bookings { totalCount } } }", token="")) == ["UNAUTHENTICATED"]
    staff = world.call("{ viewer { role name calendarUrl } }", token=world.center_staff)["data"]["viewer"]
    assert staff == {"role": "CENTER_STAFF", "name": "Phú Nghĩa staff", "calendarUrl": None}
    assert world.bookings_stored() == 0
