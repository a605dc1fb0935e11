"""Waiting lists over HTTP with real tokens, on SQLite and PostgreSQL: joining (and when not),
offers in order in the transaction that frees the seats, what follows an offer, closing, and
bad input that stores nothing."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.support import World, run_sql

NGU_XA = "ngu-xa-bronze-heritage"  # sessions of 10 seats, at most 10 per booking
HOLD = """mutation($i: HoldSeatsInput!) { holdSeats(input: $i) { __typename
  ... on HoldSeatsSuccess { booking { reference } } ... on UserError { code } } }"""
BOOK = HOLD.replace("holdSeats", "bookSeats").replace("HoldSeatsSuccess", "BookSeatsSuccess")
CANCEL = """mutation($r: String!) { cancelBooking(input: {reference: $r}) { __typename ... on UserError { code } } }"""
CONFIRM = """mutation($r: String!) { confirmBooking(input: {reference: $r}) { __typename
  ... on ConfirmBookingSuccess { booking { status } } ... on UserError { code } } }"""
ENTRY = "id seats status position offerMinutes tickets { category quantity } session { id waitlistLength }"
OFFER = "offer { reference status seats totalVnd holdExpiresAt contact { name } }"
JOIN = f"""mutation($i: JoinWaitlistInput!) {{ joinWaitlist(input: $i) {{ __typename
  ... on JoinWaitlistSuccess {{ entry {{ {ENTRY} {OFFER} }} }}
  ... on SeatsAvailableError {{ seatsAvailable }}
  ... on UserError {{ code message field }} }} }}"""
LEAVE = f"""mutation($id: ID!) {{ leaveWaitlist(input: {{entryId: $id}}) {{ __typename
  ... on LeaveWaitlistSuccess {{ entry {{ {ENTRY} {OFFER} }} }}
  ... on UserError {{ code message field }} }} }}"""
MINE = f"""query($status: WaitlistStatus) {{ viewer {{ waitlist(status: $status) {{ totalCount
  edges {{ node {{ {ENTRY} {OFFER} }} }} }} }} }}"""
NODE = f"query($id: ID!) {{ node(id: $id) {{ ... on WaitlistEntry {{ {ENTRY} {OFFER} }} }} }}"
LENGTH = "query($id: ID!) { node(id: $id) { ... on Session { waitlistLength seatsAvailable } } }"
STAFF_UPDATE = """mutation($i: UpdateSessionInput!) { updateSession(input: $i) { __typename
  ... on UserError { code } } }"""
STAFF_CANCEL = """mutation($i: CancelSessionInput!) { cancelSession(input: $i) { __typename
  ... on UserError { code } } }"""


def _input(session_id: str, key: str, tickets: Any = None, **extra: Any) -> dict[str, Any]:
    return {
        "i": {
            "sessionId": session_id,
            "tickets": tickets if tickets is not None else [{"category": "ADULT", "quantity": 2}],
            "contact": {"name": "Trần Văn Minh", "phone": "+84 913 000 111"},
            "idempotencyKey": key,
            **extra,
        }
    }


def _adults(seats: int) -> list[dict[str, Any]]:
    return [{"category": "ADULT", "quantity": seats}]


def hold(world: World, session_id: str, seats: int, key: str, token: str | None = None) -> str:
    held = world.call(HOLD, _input(session_id, key, _adults(seats), holdMinutes=60), token=token)["data"]["holdSeats"]
    assert held["__typename"] == "HoldSeatsSuccess", held
    return str(held["booking"]["reference"])


def join(world: World, session_id: str, seats: int, key: str, token: str | None = None, **extra: Any) -> Any:
    return world.call(JOIN, _input(session_id, key, _adults(seats), **extra), token=token)["data"]["joinWaitlist"]


def joined(world: World, session_id: str, seats: int, key: str, token: str | None = None, **extra: Any) -> Any:
    result = join(world, session_id, seats, key, token, **extra)
    assert result["__typename"] == "JoinWaitlistSuccess", result
    return result["entry"]


def entry(world: World, entry_id: str, token: str | None = None) -> Any:
    return world.call(NODE, {"id": entry_id}, token=token)["data"]["node"]


def wait_for(condition: Callable[[], bool], limit: float = 5.0) -> bool:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > limit:
            return False
        time.sleep(0.05)
    return True


def stored(world: World, table: str) -> int:
    return int(run_sql(world.db.url, f"SELECT count(*) FROM {table}")[0][0])


def sold_out(world: World, *parts: int) -> tuple[str, list[str]]:
    """The first Ngũ Xã session, sold out by the other operator's holds of `parts` seats."""
    session = world.session_id(NGU_XA)
    references = [hold(world, session, seats, f"fill-{n}", world.other_operator) for n, seats in enumerate(parts)]
    return session, references


def test_joining_a_session_with_enough_seats_says_book_instead_and_stores_nothing(world: World) -> None:
    session = world.session_id(NGU_XA)
    hold(world, session, 7, "part")
    refused = join(world, session, 3, "w-1")
    assert refused["__typename"] == "SeatsAvailableError" and refused["seatsAvailable"] == 3
    assert refused["code"] == "SEATS_AVAILABLE" and refused["field"] == "tickets"
    assert stored(world, "waitlist_entry") == 0
    entry_ = joined(world, session, 4, "w-2")  # four do not fit the three left
    assert entry_["status"] == "WAITING" and entry_["position"] == 1 and entry_["offerMinutes"] == 30


def test_entries_queue_in_order_and_the_length_is_public(world: World) -> None:
    session, _ = sold_out(world, 10)
    first = joined(world, session, 2, "a")
    second = joined(world, session, 3, "b", world.other_operator)
    third = joined(world, session, 1, "c")
    assert [first["position"], third["position"]] == [1, 3] and second["position"] == 2
    anonymous = world.call(LENGTH, {"id": session}, token="")["data"]["node"]
    assert anonymous == {"waitlistLength": 3, "seatsAvailable": 0}
    mine = world.call(MINE)["data"]["viewer"]["waitlist"]
    assert mine["totalCount"] == 2 and [e["node"]["id"] for e in mine["edges"]] == [third["id"], first["id"]]
    assert entry(world, second["id"]) is None  # another operator's entry is invisible
    assert entry(world, second["id"], world.other_operator)["position"] == 2


def test_joining_is_idempotent_per_operator_and_key(world: World) -> None:
    session, _ = sold_out(world, 10)
    first = joined(world, session, 2, "same")
    again = joined(world, session, 2, "same")
    assert again["id"] == first["id"] and stored(world, "waitlist_entry") == 1
    other = joined(world, session, 2, "same", world.other_operator)  # keys are each operator's own
    assert other["id"] != first["id"]
    conflict = join(world, session, 3, "same")
    assert conflict["code"] == "IDEMPOTENCY_CONFLICT" and conflict["field"] == "idempotencyKey"
    assert stored(world, "waitlist_entry") == 2


def test_freed_seats_go_to_the_oldest_entry_that_fits_and_a_bigger_one_keeps_its_place(world: World) -> None:
    session, fills = sold_out(world, 2, 2, 6)
    big = joined(world, session, 3, "big")
    small = joined(world, session, 2, "small", world.other_operator)
    one = joined(world, session, 1, "one")
    assert world.call(CANCEL, {"r": fills[0]}, token=world.other_operator)["data"]["cancelBooking"]["__typename"] == (
        "CancelBookingSuccess"
    )
    # Two seats came free: the 3-seat entry does not fit, the 2-seat one (next oldest) is offered them.
    offered = entry(world, small["id"], world.other_operator)
    assert offered["status"] == "OFFERED" and offered["position"] is None
    offer = offered["offer"]
    assert offer["status"] == "HELD" and offer["seats"] == 2 and offer["totalVnd"] == 2 * 200_000
    assert offer["holdExpiresAt"] == "2026-12-01T08:30:00+07:00" and offer["contact"]["name"] == "Trần Văn Minh"
    assert entry(world, big["id"])["position"] == 1 and entry(world, one["id"])["position"] == 2
    assert world.seats_available(session) == 0  # held for the offer: a racing booking finds none
    assert world.call(BOOK, _input(session, "racer", _adults(1)))["data"]["bookSeats"]["code"] == "NOT_ENOUGH_SEATS"
    world.call(CANCEL, {"r": fills[1]}, token=world.other_operator)
    assert entry(world, big["id"])["status"] == "WAITING"  # still too big for two seats
    assert entry(world, one["id"])["status"] == "OFFERED"  # one of the two seats; one stays free
    assert world.seats_available(session) == 1
    assert world.call(LENGTH, {"id": session})["data"]["node"]["waitlistLength"] == 1


def test_a_confirmed_offer_books_the_entry(world: World) -> None:
    session, fills = sold_out(world, 10)
    waiting = joined(world, session, 2, "w")
    world.call(CANCEL, {"r": fills[0]}, token=world.other_operator)
    reference = entry(world, waiting["id"])["offer"]["reference"]
    confirmed = world.call(CONFIRM, {"r": reference})["data"]["confirmBooking"]
    assert confirmed["booking"]["status"] == "CONFIRMED"
    assert entry(world, waiting["id"])["status"] == "BOOKED"
    assert world.call(MINE, {"status": "BOOKED"})["data"]["viewer"]["waitlist"]["totalCount"] == 1


def test_a_lapsed_offer_expires_the_entry_and_offers_the_seats_onward(world: World) -> None:
    session, fills = sold_out(world, 10)
    first = joined(world, session, 2, "first", offerMinutes=5)
    second = joined(world, session, 2, "second", world.other_operator)
    world.call(CANCEL, {"r": fills[0]}, token=world.other_operator)  # 10 seats free: both are offered
    assert entry(world, first["id"])["status"] == "OFFERED"
    third = joined(world, session, 8, "third")  # six seats are left: eight do not fit
    world.clock.advance(minutes=5)
    assert entry(world, first["id"])["status"] == "EXPIRED"  # by time alone, before any write
    # The server's sweep stores the lapse and offers the freed seats onward, with no request.
    assert wait_for(lambda: entry(world, third["id"])["status"] == "OFFERED")
    assert entry(world, third["id"])["offer"]["seats"] == 8
    assert entry(world, second["id"], world.other_operator)["status"] == "OFFERED"
    history = run_sql(
        world.db.url, "SELECT to_status FROM waitlist_event WHERE entry_id = (SELECT min(id) FROM waitlist_entry)"
    )
    assert [s for (s,) in history] == ["WAITING", "OFFERED", "EXPIRED"]


def test_a_larger_capacity_fills_from_the_waiting_list(world: World) -> None:
    session = world.session_id("phu-vinh-weaving")  # Phú Nghĩa's tour, 20 seats
    hold(world, session, 10, "a", world.other_operator)
    hold(world, session, 10, "b", world.other_operator)
    waiting = joined(world, session, 3, "w")
    changed = world.call(STAFF_UPDATE, {"i": {"sessionId": session, "capacity": 23}}, token=world.center_staff)
    assert changed["data"]["updateSession"]["__typename"] == "UpdateSessionSuccess"
    assert entry(world, waiting["id"])["status"] == "OFFERED" and world.seats_available(session) == 0


def test_leaving_takes_an_entry_out_and_a_declined_offer_goes_onward(world: World) -> None:
    session, fills = sold_out(world, 10)
    first = joined(world, session, 2, "first")
    second = joined(world, session, 2, "second", world.other_operator)
    left = world.call(LEAVE, {"id": first["id"]})["data"]["leaveWaitlist"]["entry"]
    assert left["status"] == "LEFT" and left["session"]["waitlistLength"] == 1
    assert entry(world, second["id"], world.other_operator)["position"] == 1
    third = joined(world, session, 2, "third")
    world.call(CANCEL, {"r": fills[0]}, token=world.other_operator)  # ten free: second and third are offered
    world.call(HOLD, _input(session, "taker", _adults(6)))  # the six left over are booked plainly
    declined = world.call(LEAVE, {"id": second["id"]}, token=world.other_operator)["data"]["leaveWaitlist"]["entry"]
    assert declined["status"] == "LEFT" and declined["offer"]["status"] == "CANCELLED"
    assert entry(world, third["id"])["status"] == "OFFERED" and world.seats_available(session) == 2
    again = world.call(LEAVE, {"id": first["id"]})["data"]["leaveWaitlist"]
    assert again["entry"]["status"] == "LEFT"  # leaving twice is harmless


def test_other_operators_and_unknown_entries_are_not_found(world: World) -> None:
    session, _ = sold_out(world, 10)
    theirs = joined(world, session, 2, "theirs", world.other_operator)
    refused = world.call(LEAVE, {"id": theirs["id"]})["data"]["leaveWaitlist"]
    assert refused["code"] == "NOT_FOUND" and refused["field"] == "entryId"
    assert entry(world, theirs["id"], world.other_operator)["status"] == "WAITING"
    unknown = world.call(LEAVE, {"id": "V2FpdGxpc3RFbnRyeTo5OTk5"})["data"]["leaveWaitlist"]  # WaitlistEntry:9999
    assert unknown["code"] == "NOT_FOUND"


def test_cancelling_the_session_closes_its_waiting_list_offers_included(world: World) -> None:
    session = world.session_id("phu-vinh-weaving")
    fills = [hold(world, session, 10, key, world.other_operator) for key in ("a", "b")]
    offered = joined(world, session, 4, "offered")
    waiting = joined(world, session, 9, "waiting")
    world.call(CANCEL, {"r": fills[0]}, token=world.other_operator)
    assert entry(world, offered["id"])["status"] == "OFFERED"
    cancelled = world.call(STAFF_CANCEL, {"i": {"sessionId": session}}, token=world.center_staff)
    assert cancelled["data"]["cancelSession"]["__typename"] == "CancelSessionSuccess"
    closed = entry(world, offered["id"])
    assert closed["status"] == "CLOSED" and closed["offer"]["status"] == "CANCELLED"
    assert entry(world, waiting["id"])["status"] == "CLOSED"
    assert world.call(LENGTH, {"id": session})["data"]["node"]["waitlistLength"] == 0


def test_entries_close_when_booking_closes(world: World) -> None:
    session, _ = sold_out(world, 10)
    waiting = joined(world, session, 2, "w")
    world.clock.advance(hours=23)  # the 09:00 session on 2 Dec closed for booking at 07:00
    assert entry(world, waiting["id"])["status"] == "CLOSED"  # by time alone
    assert world.call(LENGTH, {"id": session})["data"]["node"]["waitlistLength"] == 0
    assert world.call(MINE, {"status": "CLOSED"})["data"]["viewer"]["waitlist"]["totalCount"] == 1
    assert world.call(MINE, {"status": "WAITING"})["data"]["viewer"]["waitlist"]["totalCount"] == 0
    assert join(world, session, 2, "late")["code"] == "SESSION_CLOSED"
    # The server's sweep stores it: the entry CLOSED, the session's count back to 0.
    closed = "SELECT e.status, s.waitlist_length FROM waitlist_entry e JOIN tour_session s ON s.id = e.session_id"
    assert wait_for(lambda: run_sql(world.db.url, closed) == [("CLOSED", 0)])


@pytest.mark.parametrize(
    ("tickets", "extra", "code", "field", "words"),
    [
        ([{"category": "ADULT", "quantity": 0}], {}, "INVALID_INPUT", "tickets", "at least 1"),
        ([], {}, "INVALID_INPUT", "tickets", "at least one"),
        (_adults(11), {}, "INVALID_INPUT", "tickets", "at most 10 seats"),
        ([{"category": "SENIOR", "quantity": 1}], {}, "INVALID_INPUT", "tickets", "no SENIOR tickets"),
        (None, {"offerMinutes": 4}, "INVALID_INPUT", "offerMinutes", "between 5 and 240"),
        (None, {"offerMinutes": 241}, "INVALID_INPUT", "offerMinutes", "between 5 and 240"),
        (None, {"idempotencyKey": " "}, "INVALID_INPUT", "idempotencyKey", "required"),
        (None, {"sessionId": "VG91cjox"}, "INVALID_INPUT", "sessionId", "not a Session id"),
        (None, {"sessionId": "U2Vzc2lvbjo5OTk5OTk5"}, "NOT_FOUND", "sessionId", "no session"),
    ],
)
def test_bad_input_is_a_clear_error_and_stores_nothing(
    world: World, tickets: Any, extra: dict[str, Any], code: str, field: str, words: str
) -> None:
    session, _ = sold_out(world, 10)
    result = world.call(JOIN, _input(session, "bad", tickets, **extra))["data"]["joinWaitlist"]
    assert result["code"] == code and result["field"] == field and words in result["message"]
    assert stored(world, "waitlist_entry") == 0 and stored(world, "waitlist_event") == 0


def test_a_cancelled_session_takes_no_entries(world: World) -> None:
    session = world.session_id("phu-vinh-weaving")
    world.call(STAFF_CANCEL, {"i": {"sessionId": session}}, token=world.center_staff)
    refused = join(world, session, 2, "w")
    assert refused["code"] == "SESSION_CLOSED" and refused["field"] == "sessionId"
    assert stored(world, "waitlist_entry") == 0


def test_only_operators_join(world: World) -> None:
    session, _ = sold_out(world, 10)
    anonymous = world.call(JOIN, _input(session, "anon"), token="")
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    staff = world.call(JOIN, _input(session, "staff"), token=world.center_staff)
    assert staff["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert stored(world, "waitlist_entry") == 0
