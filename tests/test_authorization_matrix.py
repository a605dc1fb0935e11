"""One table, one test: every mutation and private field against every kind of caller."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from server import create_app
from tests.support import SESSIONS_OF_TOUR, Clock, ScratchDatabase, gql, make_token, run_sql
from web.settings import Settings

ACTORS = ["anonymous", "operator_a", "operator_b", "host_staff", "other_staff", "admin", "revoked"]
_U, _F, _N = "UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND"
# operation: expected outcome per actor, in the order of ACTORS
MATRIX: dict[str, list[str]] = {
    "holdSeats": [_U, "OK", "OK", _F, _F, _F, _U],
    "bookSeats": [_U, "OK", "OK", _F, _F, _F, _U],
    "confirmBooking (A's)": [_U, "OK", _N, _F, _F, _F, _U],
    "cancelBooking (A's)": [_U, "OK", _N, _F, _F, _F, _U],
    "scheduleSessions": [_U, _F, _F, "OK", _F, "OK", _U],
    "updateSession": [_U, _F, _F, "OK", _F, "OK", _U],
    "cancelSession": [_U, _F, _F, "OK", _F, "OK", _U],
    "importCalendar": [_U, _F, _F, "OK", _F, "OK", _U],
    "booking(reference) (A's)": [_U, "OK", "NULL", _F, _F, _F, _U],
    "node(id) (A's booking)": ["NULL", "OK", "NULL", "NULL", "NULL", "NULL", "NULL"],
    "Booking.contact (A's)": [_U, "OK", _N, _F, _F, _F, _U],
    "viewer.bookings": [_U, "OK", "OK", _F, _F, _F, _U],
    "viewer.calendarUrl": ["NULL", "OK", "OK", "NULL", "NULL", "NULL", "NULL"],
    "registerCenter": [_U, _F, _F, _F, _F, "OK", _U],
    "updateCenter (host's name)": [_U, _F, _F, "OK", _F, "OK", _U],
    "updateCenter (host's closedOn)": [_U, _F, _F, _F, _F, "OK", _U],
    "auditLog": [_U, _F, _F, _F, _F, "OK", _U],
    "createTour (at host)": [_U, _F, _F, "OK", _F, "OK", _U],
    "updateTour (host's)": [_U, _F, _F, "OK", _F, "OK", _U],
    "archiveTour (host's)": [_U, _F, _F, "OK", _F, "OK", _U],
    "registerOcopProduct": [_U, _F, _F, _F, _F, "OK", _U],
    "updateOcopProduct": [_U, _F, _F, _F, _F, "OK", _U],
    "setProductSoldAt (at host)": [_U, _F, _F, "OK", _F, "OK", _U],
}
REGISTER_PRODUCT = """mutation($i: RegisterOcopProductInput!) { registerOcopProduct(input: $i) { __typename ... on RegisterOcopProductSuccess { product { id } } ... on UserError { code } } }"""
UPDATE_PRODUCT = """mutation($i: UpdateOcopProductInput!) { updateOcopProduct(input: $i) { __typename ... on UserError { code } } }"""
SOLD_AT = (
    """mutation($i: SetProductSoldAtInput!) { setProductSoldAt(input: $i) { __typename ... on UserError { code } } }"""
)
CREATE_TOUR = """mutation($i: CreateTourInput!) { createTour(input: $i) { __typename ... on CreateTourSuccess { tour { id } } ... on UserError { code } } }"""
UPDATE_TOUR = """mutation($i: UpdateTourInput!) { updateTour(input: $i) { __typename ... on UserError { code } } }"""
ARCHIVE_TOUR = """mutation($i: ArchiveTourInput!) { archiveTour(input: $i) { __typename ... on UserError { code } } }"""
REGISTER_CENTER = (
    """mutation($i: RegisterCenterInput!) { registerCenter(input: $i) { __typename ... on UserError { code } } }"""
)
UPDATE_CENTER = (
    """mutation($i: UpdateCenterInput!) { updateCenter(input: $i) { __typename ... on UserError { code } } }"""
)

HOLD = """mutation($i: HoldSeatsInput!) { holdSeats(input: $i) { __typename ... on HoldSeatsSuccess { booking { id reference } } ... on UserError { code } } }"""
BOOK = HOLD.replace("holdSeats", "bookSeats").replace("HoldSeatsSuccess", "BookSeatsSuccess")
ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261128T000000Z\r\nDTSTART;TZID=Asia/Ho_Chi_Minh:{day}T200000\r\nDTEND;TZID=Asia/Ho_Chi_Minh:{day}T210000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"


class Scene:
    def __init__(self, client: TestClient, tokens: dict[str, str | None]) -> None:
        self.client, self.tokens, self.counter = client, tokens, itertools.count()
        tour = gql(client, 'query { tour(slug: "phu-vinh-weaving") { id } }')["data"]["tour"]
        self.tour_id = tour["id"]
        edges = gql(client, SESSIONS_OF_TOUR, {"slug": "phu-vinh-weaving"})["data"]["tour"]["sessions"]["edges"]
        self.session_id = edges[0]["node"]["id"]
        center = gql(client, 'query { tour(slug: "phu-vinh-weaving") { center { id } } }')["data"]["tour"]["center"]
        self.center_id = center["id"]

    def call(self, actor: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        return gql(self.client, query, variables, self.tokens[actor])

    def hold_input(self) -> dict[str, Any]:
        return {
            "i": {
                "sessionId": self.session_id,
                "tickets": [{"category": "ADULT", "quantity": 1}],
                "contact": {"name": "Lan", "phone": "0912345678"},
                "idempotencyKey": f"m-{next(self.counter)}",
            }
        }

    def tour_input(self) -> dict[str, Any]:
        return {
            "i": {
                "centerId": self.center_id,
                "craftSlug": "det-lua-to-tam",
                "texts": [{"language": "vi", "title": f"Dệt thử {next(self.counter)}"}],
                "durationMinutes": 60,
                "prices": [{"category": "ADULT", "label": "Người lớn", "priceVnd": 100000}],
                "languages": ["vi"],
            }
        }

    def a_tour(self) -> str:
        """A new tour of the host center, made by its staff."""
        body = self.call("host_staff", CREATE_TOUR, self.tour_input())
        return body["data"]["createTour"]["tour"]["id"]  # type: ignore[no-any-return]

    def a_product(self) -> str:
        """A new OCOP product, registered by the programme office."""
        data = {"i": {"name": f"Sản phẩm {next(self.counter)}", "producer": "HTX", "stars": 4}}
        return self.call("admin", REGISTER_PRODUCT, data)["data"]["registerOcopProduct"]["product"]["id"]  # type: ignore[no-any-return]

    def a_booking(self) -> dict[str, Any]:
        return self.call("operator_a", HOLD, self.hold_input())["data"]["holdSeats"]["booking"]  # type: ignore[no-any-return]

    def a_session(self) -> str:
        """A new session of the hosted tour, made by its center's staff."""
        day = 5 + next(self.counter) % 20
        starts = f"2026-12-{day:02d}T{6 + next(self.counter) % 12:02d}:{next(self.counter) % 60:02d}:00+07:00"
        body = self.call(
            "host_staff",
            """mutation($i: ScheduleSessionsInput!) { scheduleSessions(input: $i) {
            ... on ScheduleSessionsSuccess { sessions { id } } } }""",
            {"i": {"tourId": self.tour_id, "startsAt": starts, "capacity": 5}},
        )
        return body["data"]["scheduleSessions"]["sessions"][0]["id"]  # type: ignore[no-any-return]


def outcome(body: dict[str, Any], *path: str) -> str:
    if body.get("errors"):
        return str(body["errors"][0].get("extensions", {}).get("code"))
    value: Any = body["data"]
    for key in path:
        value = value[key] if value is not None else None
    if value is None:
        return "NULL"
    if isinstance(value, dict) and "code" in value:
        return str(value["code"])
    return "OK"


def run(scene: Scene, operation: str, actor: str) -> str:
    mutations: dict[str, Callable[[], str]] = {
        "holdSeats": lambda: outcome(scene.call(actor, HOLD, scene.hold_input()), "holdSeats"),
        "bookSeats": lambda: outcome(scene.call(actor, BOOK, scene.hold_input()), "bookSeats"),
        "confirmBooking (A's)": lambda: outcome(
            scene.call(
                actor,
                "mutation($r: String!) { confirmBooking(input: {reference: $r}) { __typename ... on UserError { code } } }",
                {"r": scene.a_booking()["reference"]},
            ),
            "confirmBooking",
        ),
        "cancelBooking (A's)": lambda: outcome(
            scene.call(
                actor,
                "mutation($r: String!) { cancelBooking(input: {reference: $r}) { __typename ... on UserError { code } } }",
                {"r": scene.a_booking()["reference"]},
            ),
            "cancelBooking",
        ),
        "scheduleSessions": lambda: outcome(
            scene.call(
                actor,
                "mutation($i: ScheduleSessionsInput!) { scheduleSessions(input: $i) { __typename ... on UserError { code } } }",
                {
                    "i": {
                        "tourId": scene.tour_id,
                        "capacity": 4,
                        "startsAt": f"2027-03-{1 + next(scene.counter) % 28:02d}T{7 + next(scene.counter) % 10:02d}:17:00+07:00",
                    }
                },
            ),
            "scheduleSessions",
        ),
        "updateSession": lambda: outcome(
            scene.call(
                actor,
                "mutation($i: UpdateSessionInput!) { updateSession(input: $i) { __typename ... on UserError { code } } }",
                {"i": {"sessionId": scene.a_session(), "capacity": 9}},
            ),
            "updateSession",
        ),
        "cancelSession": lambda: outcome(
            scene.call(
                actor,
                "mutation($i: CancelSessionInput!) { cancelSession(input: $i) { __typename ... on UserError { code } } }",
                {"i": {"sessionId": scene.a_session()}},
            ),
            "cancelSession",
        ),
        "importCalendar": lambda: outcome(
            scene.call(
                actor,
                "mutation($i: ImportCalendarInput!) { importCalendar(input: $i) { __typename ... on UserError { code } } }",
                {
                    "i": {
                        "tourId": scene.tour_id,
                        "capacity": 3,
                        "ics": ICS.format(
                            uid=f"u{next(scene.counter)}", day=f"202701{10 + next(scene.counter) % 18:02d}"
                        ),
                    }
                },
            ),
            "importCalendar",
        ),
        "booking(reference) (A's)": lambda: outcome(
            scene.call(
                actor,
                "query($r: String!) { booking(reference: $r) { reference } }",
                {"r": scene.a_booking()["reference"]},
            ),
            "booking",
        ),
        "node(id) (A's booking)": lambda: outcome(
            scene.call(actor, "query($id: ID!) { node(id: $id) { id } }", {"id": scene.a_booking()["id"]}), "node"
        ),
        "Booking.contact (A's)": lambda: contact_outcome(scene, actor),
        "viewer.bookings": lambda: outcome(
            scene.call(actor, "{ viewer { bookings { totalCount } } }"), "viewer", "bookings"
        ),
        "viewer.calendarUrl": lambda: outcome(scene.call(actor, "{ viewer { calendarUrl } }"), "viewer", "calendarUrl"),
        "registerCenter": lambda: outcome(
            scene.call(
                actor,
                REGISTER_CENTER,
                {
                    "i": {
                        "kind": "OCOP_SHOWROOM",
                        "name": f"Điểm OCOP {next(scene.counter)}",
                        "districtSlug": "me-linh",
                        "communeSlug": "quang-minh",
                    }
                },
            ),
            "registerCenter",
        ),
        "updateCenter (host's name)": lambda: outcome(
            scene.call(actor, UPDATE_CENTER, {"i": {"centerId": scene.center_id, "name": "Trung tâm Phú Nghĩa"}}),
            "updateCenter",
        ),
        "updateCenter (host's closedOn)": lambda: outcome(
            scene.call(actor, UPDATE_CENTER, {"i": {"centerId": scene.center_id, "closedOn": "2040-01-01"}}),
            "updateCenter",
        ),
        "auditLog": lambda: outcome(scene.call(actor, "{ auditLog { totalCount } }"), "auditLog"),
        "registerOcopProduct": lambda: outcome(
            scene.call(
                actor, REGISTER_PRODUCT, {"i": {"name": f"Gốm {next(scene.counter)}", "producer": "HTX", "stars": 3}}
            ),
            "registerOcopProduct",
        ),
        "updateOcopProduct": lambda: outcome(
            scene.call(actor, UPDATE_PRODUCT, {"i": {"productId": scene.a_product(), "stars": 5}}), "updateOcopProduct"
        ),
        "setProductSoldAt (at host)": lambda: outcome(
            scene.call(
                actor, SOLD_AT, {"i": {"productId": scene.a_product(), "centerId": scene.center_id, "sold": True}}
            ),
            "setProductSoldAt",
        ),
        "createTour (at host)": lambda: outcome(scene.call(actor, CREATE_TOUR, scene.tour_input()), "createTour"),
        "updateTour (host's)": lambda: outcome(
            scene.call(actor, UPDATE_TOUR, {"i": {"tourId": scene.a_tour(), "durationMinutes": 75}}), "updateTour"
        ),
        "archiveTour (host's)": lambda: outcome(
            scene.call(actor, ARCHIVE_TOUR, {"i": {"tourId": scene.a_tour()}}), "archiveTour"
        ),
    }
    return mutations[operation]()


def contact_outcome(scene: Scene, actor: str) -> str:
    """The contact is reachable only through the booking; other callers get no booking at all."""
    reference = scene.a_booking()["reference"]
    body = scene.call(
        actor, "query($r: String!) { booking(reference: $r) { contact { name phone } } }", {"r": reference}
    )
    result = outcome(body, "booking", "contact")
    return _N if result == "NULL" else result


def test_authorization_matrix(fresh_db: ScratchDatabase) -> None:
    tokens: dict[str, str | None] = {
        "anonymous": None,
        "operator_a": make_token(fresh_db.url, "OPERATOR", "Operator A"),
        "operator_b": make_token(fresh_db.url, "OPERATOR", "Operator B"),
        "host_staff": make_token(fresh_db.url, "CENTER_STAFF", "Phú Nghĩa staff", "dc-phu-nghia"),
        "other_staff": make_token(fresh_db.url, "CENTER_STAFF", "Sơn Đồng staff", "dc-son-dong"),
        "admin": make_token(fresh_db.url, "ADMIN", "Admin"),
        "revoked": make_token(fresh_db.url, "OPERATOR", "Operator A"),
    }
    run_sql(
        fresh_db.url,
        "UPDATE api_token SET revoked_at = '2026-11-30 00:00:00' WHERE id = (SELECT max(id) FROM api_token)",
    )
    run_sql(fresh_db.url, "UPDATE tour_session SET capacity = 1000")
    with TestClient(create_app(fresh_db.url, clock=Clock(), settings=Settings(mutations_per_minute=100_000))) as client:
        scene = Scene(client, tokens)
        actual = {op: [run(scene, op, actor) for actor in ACTORS] for op in MATRIX}
    mismatches = {
        op: list(zip(ACTORS, actual[op], MATRIX[op], strict=True)) for op in MATRIX if actual[op] != MATRIX[op]
    }
    assert mismatches == {}
