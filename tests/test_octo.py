"""The OCTO facade over real HTTP through the app, on SQLite and PostgreSQL: a reseller's whole
flow (products, availability, reserve, confirm, cancel), the mapping onto Craftway's catalogue,
the same bookings seen from GraphQL and back, and OCTO's errors for bad input."""

from __future__ import annotations

import uuid
from typing import Any

import httpx2
from sqlalchemy import event

from tests.support import World, make_token, run_sql

NGU_XA = "ngu-xa-bronze-heritage"  # 10 seats, 09:00 and 14:00, ADULT only; cut-offs 2 h and 24 h
BAT_TRANG = "bat-trang-museum-wheel"  # ADULT and CHILD
BOTH = "octo/pricing, octo/content"
VIEWER_BOOKINGS = "{ viewer { bookings { edges { node { reference status seats contact { name } } } } } }"
SEATS = "query($id: ID!) { node(id: $id) { ... on Session { seatsAvailable } } }"
GRAPHQL_CANCEL = "mutation($r: String!) { cancelBooking(input: {reference: $r}) { __typename } }"


class Reseller:
    """Calls /octo as a reseller does, with its token and the capabilities it asks for."""

    def __init__(self, world: World, token: str | None = None, capabilities: str = BOTH, language: str = "en") -> None:
        self.world = world
        self.headers = {"Octo-Capabilities": capabilities, "Accept-Language": language}
        self.headers["Authorization"] = f"Bearer {token or world.operator}"

    def get(self, path: str, **params: Any) -> httpx2.Response:
        return self.world.client.get(f"/octo{path}", headers=self.headers, params=params)

    def post(self, path: str, body: Any = None) -> httpx2.Response:
        return self.world.client.post(f"/octo{path}", headers=self.headers, json=body)

    def ok(self, response: httpx2.Response) -> Any:
        assert response.status_code == 200, response.text
        return response.json()

    def availability(self, product: str = NGU_XA, day: str = "2026-12-02") -> list[dict[str, Any]]:
        body = {"productId": product, "optionId": "DEFAULT", "localDateStart": day, "localDateEnd": day}
        found: list[dict[str, Any]] = self.ok(self.post("/availability", body))
        return found

    def reserve(self, availability_id: str, units: int = 2, **extra: Any) -> httpx2.Response:
        body = {
            "uuid": str(uuid.uuid4()),
            "productId": NGU_XA,
            "optionId": "DEFAULT",
            "availabilityId": availability_id,
            "unitItems": [{"unitId": "ADULT"} for _ in range(units)],
            **extra,
        }
        return self.post("/bookings", body)


def error(response: httpx2.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    body: dict[str, Any] = response.json()
    assert set(body) >= {"error", "errorMessage"}
    return body


def test_a_reseller_books_through_octo_and_graphql_sees_the_same_booking(world: World) -> None:
    octo = Reseller(world)
    products = octo.ok(octo.get("/products"))
    assert NGU_XA in [p["id"] for p in products]
    first = octo.availability()[0]
    assert first["id"] == "2026-12-02T09:00:00+07:00" and first["status"] == "AVAILABLE" and first["vacancies"] == 10
    held = octo.ok(octo.reserve(first["id"], resellerReference="VOUCHER-1"))
    assert held["status"] == "ON_HOLD" and held["utcExpiresAt"] == "2026-12-01T01:15:00Z"
    assert held["pricing"] == {
        "original": 400_000, "retail": 400_000, "net": None, "currency": "VND", "currencyPrecision": 0, "includedTaxes": []
    }
    assert len({item["uuid"] for item in held["unitItems"]}) == 2  # each unit item got its own uuid
    # The same seats, as GraphQL counts them.
    session_id = world.session_id(NGU_XA)
    assert world.seats_available(session_id) == 8
    refused = octo.post(f"/bookings/{held['uuid']}/confirm", {"resellerReference": "VOUCHER-1"})
    assert error(refused)["error"] == "BAD_REQUEST"  # confirming needs the contact
    contact = {"firstName": "Jane", "lastName": "Doe", "emailAddress": "jane@example.com", "phoneNumber": "+44 7840 739436"}
    confirmed = octo.ok(octo.post(f"/bookings/{held['uuid']}/confirm", {"contact": contact}))
    assert confirmed["status"] == "CONFIRMED" and confirmed["contact"]["fullName"] == "Jane Doe"
    assert confirmed["utcConfirmedAt"] == "2026-12-01T01:00:00Z" and confirmed["utcExpiresAt"] is None
    mine = world.call(VIEWER_BOOKINGS)["data"]["viewer"]["bookings"]["edges"]
    assert [e["node"] for e in mine] == [
        {"reference": held["supplierReference"], "status": "CONFIRMED", "seats": 2, "contact": {"name": "Jane Doe"}}
    ]
    # A change made over GraphQL shows in OCTO.
    assert world.call(GRAPHQL_CANCEL, {"r": held["supplierReference"]})["data"]["cancelBooking"]["__typename"] == (
        "CancelBookingSuccess"
    )
    again = octo.ok(octo.get(f"/bookings/{held['uuid']}"))
    assert again["status"] == "CANCELLED" and again["cancellation"]["refund"] == "FULL" and not again["cancellable"]
    assert world.seats_available(session_id) == 10


def test_cancel_extend_and_the_cut_offs(world: World) -> None:
    octo = Reseller(world)
    soon = octo.availability()[0]["id"]  # 09:00 tomorrow: 25 hours ahead
    held = octo.ok(octo.reserve(soon))
    extended = octo.ok(octo.post(f"/bookings/{held['uuid']}/extend", {"expirationMinutes": 45}))
    assert extended["utcExpiresAt"] == "2026-12-01T01:45:00Z"
    assert error(octo.post(f"/bookings/{held['uuid']}/extend", {"expirationMinutes": 61}))["error"] == "BAD_REQUEST"
    octo.ok(octo.post(f"/bookings/{held['uuid']}/confirm", {"contact": {"fullName": "Lê Văn Tám"}}))
    world.clock.advance(hours=2)  # now within the tour's 24-hour cancellation cut-off
    late = error(octo.post(f"/bookings/{held['uuid']}/cancel", {"reason": "changed plans"}))
    assert late["error"] == "UNPROCESSABLE_ENTITY" and "cancellation closed" in late["errorMessage"]
    later = octo.availability(day="2026-12-05")[0]["id"]
    other = octo.ok(octo.reserve(later))
    cancelled = octo.ok(octo.post(f"/bookings/{other['uuid']}/cancel", {"reason": "changed plans"}))
    assert cancelled["status"] == "CANCELLED" and cancelled["cancellation"]["reason"] == "changed plans"
    lapsing = octo.ok(octo.reserve(later, expirationMinutes=5))
    world.clock.advance(minutes=5)
    assert octo.ok(octo.get(f"/bookings/{lapsing['uuid']}"))["status"] == "EXPIRED"
    assert error(octo.post(f"/bookings/{lapsing['uuid']}/extend", {}))["error"] == "UNPROCESSABLE_ENTITY"


def test_the_uuid_is_the_idempotency_key(world: World) -> None:
    octo = Reseller(world)
    slot = octo.availability()[0]["id"]
    body = {"uuid": str(uuid.uuid4()), "productId": NGU_XA, "optionId": "DEFAULT", "availabilityId": slot,
            "unitItems": [{"unitId": "ADULT"}], "resellerReference": "R-7"}
    first = octo.ok(octo.post("/bookings", body))
    again = octo.ok(octo.post("/bookings", body))
    assert again["supplierReference"] == first["supplierReference"] and again["unitItems"] == first["unitItems"]
    assert error(octo.post("/bookings", {**body, "resellerReference": "R-8"}))["uuid"] == body["uuid"]
    assert error(octo.post("/bookings", {**body, "unitItems": [{"unitId": "ADULT"}] * 2}))["error"] == "UNPROCESSABLE_ENTITY"
    assert int(run_sql(world.db.url, "SELECT count(*) FROM booking")[0][0]) == 1


def test_products_units_and_availability_follow_the_catalogue(world: World) -> None:
    run_sql(world.db.url, "UPDATE tour SET archived = TRUE WHERE slug = 'giang-cao-pottery-club'")
    octo = Reseller(world)
    response = octo.get("/products/")
    assert response.headers["octo-capabilities"] == "octo/content, octo/pricing"
    assert response.headers["content-language"] == "en"
    products = {p["id"]: p for p in octo.ok(response)}
    assert "giang-cao-pottery-club" not in products  # archived tours are not sold
    pottery = products[BAT_TRANG]
    option = pottery["options"][0]
    assert option["id"] == "DEFAULT" and [u["id"] for u in option["units"]] == ["ADULT", "CHILD"]
    assert [u["type"] for u in option["units"]] == ["ADULT", "CHILD"]
    assert option["units"][1]["pricingFrom"][0]["retail"] == 50_000 and pottery["defaultCurrency"] == "VND"
    assert pottery["title"] == "Pottery wheel session at Bát Tràng Pottery Museum" and pottery["locale"] == "en"
    vietnamese = Reseller(world, language="vi").ok(Reseller(world, language="vi").get(f"/products/{BAT_TRANG}"))
    assert vietnamese["title"] == vietnamese["internalName"] and vietnamese["locale"] == "vi"
    plain = Reseller(world, capabilities="").ok(Reseller(world, capabilities="").get(f"/products/{BAT_TRANG}"))
    assert "title" not in plain and "defaultCurrency" not in plain and "pricingFrom" not in plain["options"][0]["units"][0]
    # Availability statuses: AVAILABLE, LIMITED under half, SOLD_OUT; CLOSED after the cut-off.
    slots = octo.availability()
    octo.ok(octo.reserve(slots[0]["id"], units=6))
    octo.ok(octo.reserve(slots[1]["id"], units=10))
    statuses = [s["status"] for s in octo.availability()]
    assert statuses == ["LIMITED", "SOLD_OUT"]
    window = {"productId": NGU_XA, "optionId": "DEFAULT", "localDateStart": "2026-12-02", "localDateEnd": "2026-12-04"}
    days = octo.ok(octo.post("/availability/calendar", window))
    assert [d["localDate"] for d in days] == ["2026-12-02", "2026-12-03", "2026-12-04"]
    assert (days[0]["status"], days[0]["vacancies"], days[0]["available"]) == ("LIMITED", 4, True)  # its best session
    assert days[1]["status"] == "AVAILABLE" and days[1]["vacancies"] == 10
    world.clock.advance(hours=23)  # 07:00 on 2 Dec: the 09:00 session closed for booking
    assert [s["status"] for s in octo.availability()] == ["CLOSED", "AVAILABLE"]  # and the holds lapsed


def test_octo_errors_name_what_is_wrong(world: World) -> None:
    octo = Reseller(world)
    slot = octo.availability()[0]["id"]
    base = {"productId": NGU_XA, "optionId": "DEFAULT", "localDateStart": "2026-12-02", "localDateEnd": "2026-12-02"}
    cases = [
        (octo.get("/products/no-such-tour"), "INVALID_PRODUCT_ID", {"productId": "no-such-tour"}),
        (octo.get("/products/%0A"), "BAD_REQUEST", {}),  # not the list: a route's `$` matches before "\n"
        (octo.post("/availability", {**base, "optionId": "VIP"}), "INVALID_OPTION_ID", {"optionId": "VIP"}),
        (octo.post("/availability", {**base, "units": [{"id": "CHILD", "quantity": 1}]}), "INVALID_UNIT_ID", {"unitId": "CHILD"}),
        (octo.post("/availability", {**base, "localDateEnd": "2026-13-01"}), "BAD_REQUEST", {}),
        (octo.reserve("2026-12-02T10:00:00+07:00"), "INVALID_AVAILABILITY_ID", {"availabilityId": "2026-12-02T10:00:00+07:00"}),
        (octo.reserve(slot, units=11), "BAD_REQUEST", {}),
        (octo.get(f"/bookings/{uuid.uuid4()}"), "INVALID_BOOKING_UUID", {}),
        (octo.get("/bookings/not-a-uuid"), "INVALID_BOOKING_UUID", {"uuid": "not-a-uuid"}),
        (world.client.post("/octo/availability", headers=octo.headers, content=b"{not json"), "BAD_REQUEST", {}),
        (world.client.get("/octo/products", headers={"Octo-Capabilities": ""}), "UNAUTHORIZED", {}),
        (Reseller(world, token=world.center_staff).get("/products"), "FORBIDDEN", {}),
        (world.client.get("/octo/products", headers={"Authorization": octo.headers["Authorization"]}), "BAD_REQUEST", {}),
    ]
    for response, code, ids in cases:
        body = error(response)
        assert body["error"] == code, (code, body)
        assert {k: body[k] for k in ids} == ids
    octo.ok(octo.reserve(slot, units=9))
    full = error(octo.reserve(slot, units=2))
    assert full["error"] == "UNPROCESSABLE_ENTITY" and "only 1 seats left" in full["errorMessage"]
    assert int(run_sql(world.db.url, "SELECT count(*) FROM booking")[0][0]) == 1  # refusals store nothing


def test_resellers_see_only_their_own_bookings_and_can_find_them(world: World) -> None:
    octo, other = Reseller(world), Reseller(world, token=world.other_operator)
    slot = octo.availability()[0]["id"]
    mine = octo.ok(octo.reserve(slot, resellerReference="MINE-1"))
    assert error(other.get(f"/bookings/{mine['uuid']}"))["error"] == "INVALID_BOOKING_UUID"
    assert error(other.post(f"/bookings/{mine['uuid']}/cancel", {}))["error"] == "INVALID_BOOKING_UUID"
    assert other.ok(other.get("/bookings", resellerReference="MINE-1")) == []
    assert [b["uuid"] for b in octo.ok(octo.get("/bookings", resellerReference="MINE-1"))] == [mine["uuid"]]
    assert [b["uuid"] for b in octo.ok(octo.get("/bookings", supplierReference=mine["supplierReference"].lower()))] == [mine["uuid"]]
    assert len(octo.ok(octo.get("/bookings", localDate="2026-12-02"))) == 1
    assert octo.ok(octo.get("/bookings", localDateStart="2026-12-03", localDateEnd="2026-12-09")) == []
    # The booking is in the operator's calendar feed too.
    feed_url = world.call("{ viewer { calendarUrl } }")["data"]["viewer"]["calendarUrl"]
    feed = world.client.get(feed_url.removeprefix("http://testserver"))
    assert mine["supplierReference"] in feed.text


def test_availability_costs_a_fixed_number_of_statements(world: World) -> None:
    """However many sessions a product has in the window, the same statements answer."""
    octo = Reseller(world)
    engine = world.client.app.state.engine.sync_engine  # type: ignore[attr-defined]
    statements: list[str] = []

    def count(*_args: Any) -> None:
        statements.append("")

    def measured(path: str, body: dict[str, Any]) -> int:
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            octo.ok(octo.post(path, body))
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    calendar = {"productId": NGU_XA, "optionId": "DEFAULT", "localDateStart": "2026-12-02", "localDateEnd": "2027-03-01"}
    day = {"productId": NGU_XA, "optionId": "DEFAULT", "localDateStart": "2026-12-02", "localDateEnd": "2026-12-02"}
    measured("/availability/calendar", calendar)  # the first request also opens connections
    before = measured("/availability/calendar", calendar), measured("/availability", day)
    sessions_before = int(run_sql(world.db.url, "SELECT count(*) FROM tour_session")[0][0])
    admin = make_token(world.db.url, "ADMIN", "Ops")
    tour = world.call('{ tour(slug: "ngu-xa-bronze-heritage") { id } }')["data"]["tour"]["id"]
    schedule = """mutation($i: ScheduleSessionsInput!) { scheduleSessions(input: $i) { __typename } }"""
    made = world.call(schedule, {"i": {"tourId": tour, "capacity": 10, "startsAt": "2026-12-02T11:00:00+07:00",
                                       "recurrence": "FREQ=DAILY;COUNT=90"}}, token=admin)
    assert made["data"]["scheduleSessions"]["__typename"] == "ScheduleSessionsSuccess", made
    assert int(run_sql(world.db.url, "SELECT count(*) FROM tour_session")[0][0]) == sessions_before + 90
    after = measured("/availability/calendar", calendar), measured("/availability", day)
    assert after == before, (before, after)
