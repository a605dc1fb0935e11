"""Public .ics feeds, read back with parsers Craftway does not write with."""

from __future__ import annotations

from datetime import datetime

import icalendar
import recurring_ical_events
from starlette.testclient import TestClient

from server import create_app
from tests.support import Clock, ScratchDatabase, World

TOUR_FEED = "/calendar/tours/ngu-xa-bronze-heritage.ics"
UPDATE = """mutation($i: UpdateSessionInput!) { updateSession(input: $i) { __typename } }"""
CANCEL = """mutation($i: CancelSessionInput!) { cancelSession(input: $i) { __typename } }"""


def parse(body: bytes) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(body)
    assert isinstance(calendar, icalendar.Calendar)
    return calendar


def test_tour_feed_is_valid_rfc5545_in_hanoi_time(client: TestClient) -> None:
    response = client.get(TOUR_FEED)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["etag"] and response.headers["last-modified"]
    calendar = parse(response.content)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    events = calendar.walk("VEVENT")
    assert len(events) == 120  # 60 days x 2 seeded sessions, all within 365 days
    first = events[0]
    for name in ("uid", "sequence", "dtstamp", "last-modified", "summary", "location", "geo", "description", "url"):
        assert first.get(name) is not None, name
    assert str(first["summary"]) == "Di sản đúc đồng Ngũ Xã"
    assert "Ba Đình" in str(first["location"]) and "Làng Ngũ Xã" in str(first["location"])
    assert "Còn 10/10 chỗ" in str(first["description"]) and "http://testserver/tours/ngu-xa-bronze-heritage" in str(
        first["description"]
    )
    assert first.decoded("dtstart").isoformat() == "2026-12-02T09:00:00+07:00"
    assert str(first["status"]) == "CONFIRMED"
    assert len({str(e["uid"]) for e in events}) == 120
    week = recurring_ical_events.of(calendar).between((2026, 12, 7), (2026, 12, 14))
    assert len(week) == 14 and all(e.decoded("dtstart").hour in (9, 14) for e in week)


def test_conditional_get_and_unknown_slugs(client: TestClient) -> None:
    first = client.get(TOUR_FEED)
    again = client.get(TOUR_FEED, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/calendar/tours/no-such-tour.ics").status_code == 404
    assert client.get("/calendar/centers/no-such-center.ics").status_code == 404


def test_center_feed_covers_the_tours_it_hosts(client: TestClient) -> None:
    calendar = parse(client.get("/calendar/centers/dc-phu-nghia.ics").content)
    summaries = {str(e["summary"]) for e in calendar.walk("VEVENT")}
    assert summaries == {"Học đan mây tre tại Phú Vinh"}
    assert parse(client.get("/calendar/centers/ocop-ba-dinh-phuc-hau-mart.ics").content).walk("VEVENT") == []


def test_uids_are_stable_across_restarts(fresh_db: ScratchDatabase) -> None:
    clock = Clock()
    bodies = []
    for _ in range(2):
        with TestClient(create_app(fresh_db.url, clock=clock)) as client:
            bodies.append(client.get(TOUR_FEED).content)
    assert bodies[0] == bodies[1]


def test_changes_raise_sequence_and_cancellations_stay_30_days(world: World) -> None:
    url = "/calendar/centers/dc-phu-nghia.ics"
    before = {str(e["uid"]): e for e in parse(world.client.get(url).content).walk("VEVENT")}
    moved, cancelled = world.session_id("phu-vinh-weaving", 0), world.session_id("phu-vinh-weaving", 1)
    world.call(UPDATE, {"i": {"sessionId": moved, "startsAt": "2026-12-02T11:00:00+07:00"}}, token=world.center_staff)
    world.call(CANCEL, {"i": {"sessionId": cancelled, "reason": "Nghỉ lễ"}}, token=world.center_staff)
    after = {str(e["uid"]): e for e in parse(world.client.get(url).content).walk("VEVENT")}
    assert after.keys() == before.keys()
    changed = [uid for uid in after if after[uid]["sequence"] > before[uid]["sequence"]]
    assert len(changed) == 2
    statuses = sorted(str(after[uid]["status"]) for uid in changed)
    assert statuses == ["CANCELLED", "CONFIRMED"]
    cancelled_uid = next(uid for uid in changed if str(after[uid]["status"]) == "CANCELLED")
    assert "Nghỉ lễ" in str(after[cancelled_uid]["description"])
    world.clock.advance(days=29)
    assert cancelled_uid in {str(e["uid"]) for e in parse(world.client.get(url).content).walk("VEVENT")}
    world.clock.advance(days=2)
    assert cancelled_uid not in {str(e["uid"]) for e in parse(world.client.get(url).content).walk("VEVENT")}


def test_window_is_30_days_back_and_365_ahead(world: World) -> None:
    world.clock.advance(days=45)  # sessions of the first 15 days are now more than 30 days old
    events = parse(world.client.get(TOUR_FEED).content).walk("VEVENT")
    oldest = min(e.decoded("dtstart") for e in events)
    assert (world.clock() - oldest).days < 30
    assert oldest >= datetime.fromisoformat("2026-12-16T00:00:00+07:00")


def test_the_link_in_events_leads_to_the_tour(client: TestClient) -> None:
    response = client.get("/tours/ngu-xa-bronze-heritage")
    assert response.status_code == 200
    assert response.json()["data"]["tour"]["title"] == "Di sản đúc đồng Ngũ Xã"


def test_design_centers_host_the_tours_of_their_villages_and_publish_feeds(client: TestClient) -> None:
    """Bát Tràng, Giang Cao, Sơn Đồng and Phú Vinh have design centers in the data: each hosts
    the tours of its village, and its feed lists their sessions."""
    body = client.post(
        "/graphql",
        json={
            "query": "{ centers(kind: DESIGN_CENTER, first: 100) { edges { node { slug village { slug } tours { edges { node { village { slug } } } } } } } }"
        },
    ).json()
    hosting = {}
    for edge in body["data"]["centers"]["edges"]:
        center = edge["node"]
        tours = center["tours"]["edges"]
        if tours:
            assert all(t["node"]["village"]["slug"] == center["village"]["slug"] for t in tours)
            hosting[center["slug"]] = len(tours)
    assert set(hosting) >= {"dc-bat-trang-1000-nam", "dc-bat-trang-giang-cao", "dc-son-dong", "dc-phu-nghia"}
    for slug in hosting:
        feed = client.get(f"/calendar/centers/{slug}.ics")
        assert feed.status_code == 200 and feed.content.count(b"BEGIN:VEVENT") > 0
