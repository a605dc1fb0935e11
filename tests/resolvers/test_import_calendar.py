"""importCalendar with files shaped like Google, Outlook and Apple exports (tests/fixtures/ics)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support import World, make_token, run_sql

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ics"
IMPORT = """mutation($i: ImportCalendarInput!) { importCalendar(input: $i) { __typename
  ... on ImportCalendarSuccess { created updated cancelled sessions { startsAt endsAt status capacity } }
  ... on UserError { code message field } } }"""
TOUR = 'query { tour(slug: "phu-vinh-weaving") { id } }'


def import_ics(world: World, ics: str, token: str | None = None, capacity: int = 8) -> dict[str, Any]:
    tour_id = world.call(TOUR)["data"]["tour"]["id"]
    body = world.call(
        IMPORT, {"i": {"tourId": tour_id, "ics": ics, "capacity": capacity}}, token=token or world.center_staff
    )
    result: dict[str, Any] = body["data"]["importCalendar"]
    return result


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def imported_count(world: World) -> int:
    return int(run_sql(world.db.url, "SELECT count(*) FROM tour_session WHERE import_uid IS NOT NULL")[0][0])


def scheduled_starts(result: dict[str, Any]) -> list[str]:
    return [s["startsAt"] for s in result["sessions"] if s["status"] == "SCHEDULED"]


def test_google_export_with_exdate_override_and_cancelled_instance(world: World) -> None:
    result = import_ics(world, fixture("google.ics"))
    assert (result["created"], result["updated"], result["cancelled"]) == (5, 0, 0)
    assert scheduled_starts(result) == [
        "2026-12-05T15:00:00+07:00",
        "2026-12-10T10:00:00+07:00",
        "2026-12-12T15:00:00+07:00",
        "2026-12-26T16:00:00+07:00",  # the RECURRENCE-ID override moved it an hour
        "2027-01-09T15:00:00+07:00",
    ]  # 19 Dec is an EXDATE and 2 Jan a cancelled instance
    assert all(s["capacity"] == 8 for s in result["sessions"])


def test_outlook_export_with_windows_zone_names(world: World) -> None:
    result = import_ics(world, fixture("outlook.ics"))
    assert scheduled_starts(result) == [
        "2026-12-07T10:00:00+07:00",
        "2026-12-09T10:00:00+07:00",
        "2026-12-11T10:00:00+07:00",
        "2026-12-14T11:00:00+07:00",
    ]
    assert result["sessions"][0]["endsAt"] == "2026-12-07T12:00:00+07:00"


def test_apple_export_in_bangkok_time_with_a_floating_event(world: World) -> None:
    result = import_ics(world, fixture("apple.ics"))
    assert scheduled_starts(result) == [
        "2026-12-06T08:00:00+07:00",
        "2026-12-09T15:00:00+07:00",
        "2026-12-13T08:00:00+07:00",
        "2026-12-20T08:00:00+07:00",
        "2027-01-03T08:00:00+07:00",
        "2027-01-10T08:00:00+07:00",
    ]


def test_without_vtimezone_and_in_utc(world: World) -> None:
    ics = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//hand//EN",
            "BEGIN:VEVENT",
            "UID:a@x",
            "DTSTAMP:20261128T000000Z",
            "DTSTART;TZID=Asia/Ho_Chi_Minh:20261208T150000",
            "DTEND;TZID=Asia/Ho_Chi_Minh:20261208T160000",
            "SUMMARY:a",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:b@x",
            "DTSTAMP:20261128T000000Z",
            "DTSTART;TZID=Asia/Bangkok:20261208T170000",
            "DURATION:PT90M",
            "SUMMARY:b",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:c@x",
            "DTSTAMP:20261128T000000Z",
            "DTSTART:20261208T120000Z",
            "DTEND:20261208T130000Z",
            "SUMMARY:c",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )
    result = import_ics(world, ics)
    assert scheduled_starts(result) == [
        "2026-12-08T15:00:00+07:00",
        "2026-12-08T17:00:00+07:00",
        "2026-12-08T19:00:00+07:00",
    ]
    assert result["sessions"][1]["endsAt"] == "2026-12-08T18:30:00+07:00"


def test_importing_the_same_file_again_changes_nothing(world: World) -> None:
    first = import_ics(world, fixture("google.ics"))
    count = imported_count(world)
    again = import_ics(world, fixture("google.ics"))
    assert (again["created"], again["updated"], again["cancelled"]) == (0, 0, 0)
    assert imported_count(world) == count == first["created"]
    assert scheduled_starts(again) == scheduled_starts(first)


def test_a_changed_file_applies_only_the_changes(world: World) -> None:
    import_ics(world, fixture("google.ics"))
    changed = (
        fixture("google.ics")
        .replace(
            "EXDATE;TZID=Asia/Ho_Chi_Minh:20261219T150000",
            "EXDATE;TZID=Asia/Ho_Chi_Minh:20261219T150000,20261212T150000",
        )  # drop 12 Dec
        .replace("DTSTART:20261210T030000Z", "DTSTART:20261210T040000Z")  # special class moves
        .replace("DTEND:20261210T050000Z", "DTEND:20261210T060000Z")
    )
    changed = changed.replace(
        "END:VCALENDAR",
        "\r\n".join(
            [
                "BEGIN:VEVENT",
                "UID:new-one@google.com",
                "DTSTAMP:20261128T103000Z",
                "DTSTART;TZID=Asia/Ho_Chi_Minh:20261230T150000",
                "DTEND;TZID=Asia/Ho_Chi_Minh:20261230T170000",
                "SUMMARY:Thêm lớp",
                "END:VEVENT",
                "END:VCALENDAR",
            ]
        ),
    )
    result = import_ics(world, changed)
    assert (result["created"], result["updated"], result["cancelled"]) == (1, 1, 1)
    assert "2026-12-10T11:00:00+07:00" in scheduled_starts(result)
    assert "2026-12-12T15:00:00+07:00" not in scheduled_starts(result)


def test_a_cancelled_import_cancels_its_bookings(world: World) -> None:
    result = import_ics(world, fixture("apple.ics"))
    session_id = run_sql(
        world.db.url, "SELECT id FROM tour_session WHERE import_uid = '1F2E3D4C-5B6A-4978-8695-A4B3C2D1E0F9'"
    )[0][0]
    from schema.ids import encode_id

    booked = world.call(
        """mutation($i: HoldSeatsInput!) { bookSeats(input: $i) { ... on BookSeatsSuccess { booking { reference } } } }""",
        {
            "i": {
                "sessionId": encode_id("Session", session_id),
                "contact": {"name": "Lan"},
                "tickets": [{"category": "ADULT", "quantity": 2}],
                "idempotencyKey": "imp",
            }
        },
    )
    reference = booked["data"]["bookSeats"]["booking"]["reference"]
    cancelled = fixture("apple.ics").replace("SUMMARY:Lớp tối (giờ địa phương)", "SUMMARY:Lớp tối\r\nSTATUS:CANCELLED")
    again = import_ics(world, cancelled)
    assert again["cancelled"] == 1 and len(result["sessions"]) == 6
    status = world.call("query($r: String!) { booking(reference: $r) { status } }", {"r": reference})
    assert status["data"]["booking"]["status"] == "CANCELLED"


@pytest.mark.parametrize(
    ("ics", "words"),
    [
        ("this is not a calendar", "not a valid iCalendar file"),
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "no VEVENT"),
        (
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nSUMMARY:no start\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "no DTSTART",
        ),
        (
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:no uid\r\nDTSTART:20261210T090000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "without UID",
        ),
        (
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:d\r\nDTSTART;VALUE=DATE:20261210\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "all-day",
        ),
        (
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:h\r\nDTSTART:20261210T090000\r\nDTEND:20261210T100000\r\n"
            "RRULE:FREQ=HOURLY;COUNT=3000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "more than 2000 occurrences",
        ),
        (
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:e\r\nDTSTART:20261210T090000\r\nDTEND:20261210T080000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "ends before it starts",
        ),
        (
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:f\r\nDTSTART:20261210T090000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
            + "X" * 1_000_001,
            "larger than 1 MB",
        ),
    ],
)
def test_unusable_files_are_refused_and_store_nothing(world: World, ics: str, words: str) -> None:
    result = import_ics(world, ics)
    assert result["code"] == "INVALID_CALENDAR" and words in result["message"], result
    assert imported_count(world) == 0


def test_a_clash_with_a_scheduled_session_is_refused_whole(world: World) -> None:
    clashing = fixture("google.ics").replace("DTSTART:20261210T030000Z", "DTSTART:20261210T020000Z")  # 09:00, seeded
    result = import_ics(world, clashing)
    assert result["code"] == "INVALID_CALENDAR" and "2026-12-10T09:00:00+07:00" in result["message"]
    assert imported_count(world) == 0


def test_only_the_hosting_centers_staff_may_import(world: World) -> None:
    other = make_token(world.db.url, "CENTER_STAFF", "Sơn Đồng staff", "dc-son-dong")
    assert import_ics(world, fixture("google.ics"), token=other)["code"] == "FORBIDDEN"
    assert imported_count(world) == 0
