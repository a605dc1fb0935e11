"""Sessions of a tour: local times, windows, availability and paging."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.support import T0, InProcess

SESSIONS = """query($after: DateTime, $before: DateTime, $first: Int, $cursor: String, $only: Boolean) {
  tour(slug: "ngu-xa-bronze-heritage") { sessions(startsAfter: $after, startsBefore: $before, first: $first,
    after: $cursor, onlyAvailable: $only) { totalCount pageInfo { hasNextPage endCursor }
    edges { node { id startsAt endsAt capacity seatsAvailable status availability bookingClosesAt tour { slug } } } } } }"""


async def test_sessions_are_in_hanoi_time_for_the_next_60_days(api: InProcess) -> None:
    result = await api.execute(SESSIONS, {"first": 100})
    conn = result.data["tour"]["sessions"]
    first = conn["edges"][0]["node"]
    assert (
        first["startsAt"] == "2026-12-02T09:00:00+07:00"
    )  # T0 is 08:00 on 1 Dec in Hanoi; seeding starts the next day
    assert first["endsAt"] == "2026-12-02T10:30:00+07:00"
    assert first["bookingClosesAt"] == "2026-12-02T07:00:00+07:00"
    assert first["capacity"] == 10 == first["seatsAvailable"]
    assert first["status"] == "SCHEDULED" and first["availability"] == "AVAILABLE"
    assert first["tour"] == {"slug": "ngu-xa-bronze-heritage"}
    assert conn["totalCount"] == 120  # 60 days x 09:00 and 14:00
    last = datetime.fromisoformat(conn["edges"][-1]["node"]["startsAt"])
    assert last - T0 < timedelta(days=61)


async def test_window_and_paging(api: InProcess) -> None:
    window = {"after": "2026-12-10T00:00:00+07:00", "before": "2026-12-12T00:00:00+07:00", "first": 3}
    page1 = (await api.execute(SESSIONS, window)).data["tour"]["sessions"]
    assert page1["totalCount"] == 4 and page1["pageInfo"]["hasNextPage"]
    page2 = (await api.execute(SESSIONS, {**window, "cursor": page1["pageInfo"]["endCursor"]})).data["tour"]["sessions"]
    starts = [e["node"]["startsAt"] for e in page1["edges"] + page2["edges"]]
    assert starts == sorted(starts) and len(set(starts)) == 4
    assert not page2["pageInfo"]["hasNextPage"]


async def test_past_window_is_empty_and_default_is_upcoming(api: InProcess) -> None:
    past = await api.execute(SESSIONS, {"before": "2026-11-01T00:00:00+07:00", "after": "2026-10-01T00:00:00+07:00"})
    assert past.data["tour"]["sessions"]["totalCount"] == 0
    api.clock.advance(days=30)
    later = (await api.execute(SESSIONS, {"first": 1})).data["tour"]["sessions"]
    assert later["totalCount"] < 120
    assert datetime.fromisoformat(later["edges"][0]["node"]["startsAt"]) > api.clock()


async def test_booking_closed_sessions_read_closed(api: InProcess) -> None:
    api.clock.now = datetime.fromisoformat("2026-12-02T07:30:00+07:00")  # after the 09:00 session's cut-off
    edges = (await api.execute(SESSIONS, {"first": 2})).data["tour"]["sessions"]["edges"]
    assert edges[0]["node"]["availability"] == "CLOSED"
    assert edges[1]["node"]["availability"] == "AVAILABLE"
    only = (await api.execute(SESSIONS, {"first": 1, "only": True})).data["tour"]["sessions"]["edges"]
    assert only[0]["node"]["startsAt"] == "2026-12-02T14:00:00+07:00"
