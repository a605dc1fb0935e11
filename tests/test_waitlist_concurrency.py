"""Waiting lists under real concurrency: 30 waiting entries of 1-4 seats, then 50 cancellations,
bookings, joins (of 12 more entries) and leaves sent at once, across two server processes on PostgreSQL (one on SQLite).
Afterwards the stored history must show that capacity was never exceeded, that no offer ever
skipped an older entry that fitted, and that no seat stayed free while a waiting entry fitted
it; then every live offer lapses and the background sweep must offer the seats onward, still
in order. Every acknowledged answer must be in the database."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.live_support import CANCEL, past_moment, post, servers
from tests.support import ServerProcess, make_token, run_sql

TOUR = "phu-vinh-weaving"  # 20 seats, at most 10 per booking
SESSIONS = """query($slug: String!) { tour(slug: $slug) { sessions(first: 5) { edges { node { id capacity } } } } }"""
BOOK = """mutation($i: HoldSeatsInput!) { bookSeats(input: $i) { __typename
  ... on BookSeatsSuccess { booking { reference seats } } ... on UserError { code } } }"""
JOIN = """mutation($i: JoinWaitlistInput!) { joinWaitlist(input: $i) { __typename
  ... on JoinWaitlistSuccess { entry { id } } ... on UserError { code } } }"""
LEAVE = """mutation($id: ID!) { leaveWaitlist(input: {entryId: $id}) { __typename
  ... on LeaveWaitlistSuccess { entry { status } } ... on UserError { code } } }"""
ENTRIES, MORE, OPERATORS = 30, 12, 6


def _request(session_id: str, seats: int, key: str) -> dict[str, Any]:
    return {
        "i": {
            "sessionId": session_id,
            "tickets": [{"category": "ADULT", "quantity": seats}],
            "contact": {"name": "Phạm Quốc Bảo"},
            "idempotencyKey": key,
        }
    }


class Run:
    """The servers, operators and the one session they all want."""

    def __init__(self, db_url: str, started: list[ServerProcess]) -> None:
        self.url = db_url
        self.servers = started
        self.tokens = [make_token(db_url, "OPERATOR", f"Operator {n}") for n in range(OPERATORS)]
        node = post(started[0], SESSIONS, {"slug": TOUR})["data"]["tour"]["sessions"]["edges"][-1]["node"]
        self.session_id, self.capacity = node["id"], node["capacity"]  # days ahead: cancellable
        self.outcomes: Counter[str] = Counter()
        self.acknowledged: list[tuple[str, str]] = []  # (what, id or reference) the API said it stored
        self.lock = threading.Lock()

    def server(self, n: int) -> ServerProcess:
        return self.servers[n % len(self.servers)]

    def note(self, kind: str, typename: str, acknowledged: str | None = None) -> None:
        with self.lock:
            self.outcomes[f"{kind}:{typename}"] += 1
            if acknowledged is not None:
                self.acknowledged.append((kind, acknowledged))

    def book(self, n: int, seats: int, kind: str = "book") -> str | None:
        token = self.tokens[n % OPERATORS]
        result = post(self.server(n), BOOK, _request(self.session_id, seats, f"book-{n}"), token)["data"]["bookSeats"]
        reference = result["booking"]["reference"] if result["__typename"] == "BookSeatsSuccess" else None
        self.note(kind, result["__typename"], reference)
        return reference

    def join(self, n: int, seats: int) -> str | None:
        token = self.tokens[n % OPERATORS]
        result = post(self.server(n), JOIN, _request(self.session_id, seats, f"join-{n}"), token)["data"]["joinWaitlist"]
        entry = result["entry"]["id"] if result["__typename"] == "JoinWaitlistSuccess" else None
        self.note("join", result["__typename"], entry)
        return entry

    def cancel(self, n: int, reference: str, owner: int) -> None:
        result = post(self.server(n), CANCEL, {"r": reference}, self.tokens[owner % OPERATORS])["data"]["cancelBooking"]
        self.note("cancel", result["__typename"])

    def leave(self, n: int, entry: str, owner: int) -> None:
        result = post(self.server(n), LEAVE, {"id": entry}, self.tokens[owner % OPERATORS])["data"]["leaveWaitlist"]
        self.note("leave", result["__typename"])


def check_history(url: str) -> dict[str, int]:
    """Replay the stored waiting-list history; fail on any broken rule. Returns counts."""
    session_of = dict(run_sql(url, "SELECT id, session_id FROM waitlist_entry"))
    seats_of = dict(run_sql(url, "SELECT id, seats FROM waitlist_entry"))
    events = run_sql(url, "SELECT entry_id, from_status, to_status, seats_free FROM waitlist_event ORDER BY id")
    waiting: dict[int, set[int]] = {}
    offers = 0
    for entry_id, _from, to_status, free in events:
        line = waiting.setdefault(session_of[entry_id], set())
        if to_status == "WAITING":
            assert seats_of[entry_id] > free, f"entry {entry_id} joined while {free} seats were free"
            line.add(entry_id)
            continue
        line.discard(entry_id)
        if to_status == "OFFERED":
            offers += 1
            free_before = free + seats_of[entry_id]
            skipped = [older for older in line if older < entry_id and seats_of[older] <= free_before]
            assert not skipped, f"entry {entry_id} was offered {free_before} free seats before older {skipped}"
    # Capacity: the counter is exactly the live seats, and within capacity.
    for session_id, capacity, taken in run_sql(url, "SELECT id, capacity, seats_taken FROM tour_session"):
        live = run_sql(
            url,
            "SELECT coalesce(sum(seats), 0) FROM booking WHERE session_id = :s AND status IN ('HELD', 'CONFIRMED')",
            {"s": session_id},
        )[0][0]
        assert taken == live <= capacity
        # No seat stays free while a waiting entry fits it.
        still = [e for e in waiting.get(session_id, ()) if seats_of[e] <= capacity - taken]
        assert not still, f"entries {still} wait while {capacity - taken} seats are free"
    stored = dict(run_sql(url, "SELECT status, count(*) FROM waitlist_entry GROUP BY status"))
    for entry_id, status, offer in run_sql(url, "SELECT id, status, offer_booking_id FROM waitlist_entry"):
        offer_status = run_sql(url, "SELECT status FROM booking WHERE id = :b", {"b": offer})[0][0] if offer else None
        expected = {"OFFERED": "HELD", "BOOKED": "CONFIRMED", "EXPIRED": "EXPIRED", "WAITING": None}
        if status in expected:
            assert offer_status == expected[status], f"entry {entry_id} is {status} with its offer {offer_status}"
    return {"offers": offers, **stored}


@pytest.mark.parametrize(
    ("backend", "count"), [("sqlite", 1), ("postgresql", 2)], ids=["sqlite", "postgresql-2-processes"]
)
def test_waiting_lists_keep_capacity_and_order_under_concurrent_clients(
    backend: str, count: int, tmp_path: Path
) -> None:
    shuffled = random.Random(2026)
    with servers(backend, count, tmp_path) as (db, started):
        run = Run(db.url, started)
        # Sold out by ten confirmed bookings of two seats each.
        fills = [(n, run.book(1000 + n, 2, "fill")) for n in range(run.capacity // 2)]
        assert all(reference for _, reference in fills)
        sizes = [shuffled.randint(1, 4) for _ in range(ENTRIES + MORE)]
        upfront = [(n, run.join(2000 + n, sizes[n])) for n in range(ENTRIES)]
        assert all(entry for _, entry in upfront)

        work: list[Any] = []
        for n, reference in fills:  # 10 cancellations
            work.append(lambda n=n, r=reference: run.cancel(n, r, 1000 + n))
        for n in range(ENTRIES, ENTRIES + MORE):  # 12 joins
            work.append(lambda n=n: run.join(2000 + n, sizes[n]))
        for n in range(16):  # 16 bookings racing the waiting list for the freed seats
            work.append(lambda n=n: run.book(3000 + n, 1 + n % 3))
        for n, entry in upfront[:12]:  # 12 leaves, some of them of offered entries
            work.append(lambda n=n, e=entry: run.leave(n, e, 2000 + n))
        assert len(work) == 50
        shuffled.shuffle(work)
        started_at = time.monotonic()
        start = threading.Barrier(len(work))

        def go(job: Any) -> None:
            start.wait()
            job()

        with ThreadPoolExecutor(max_workers=len(work)) as pool:
            list(pool.map(go, work))
        took = time.monotonic() - started_at
        during = check_history(db.url)

        # Every live offer lapses; the sweep expires them and offers the seats onward, in order.
        lapse = "UPDATE booking SET hold_expires_at = :m WHERE status = 'HELD' AND id IN "
        lapse += "(SELECT offer_booking_id FROM waitlist_entry WHERE status = 'OFFERED')"
        lapsed = during.get("OFFERED", 0)
        run_sql(db.url, lapse, {"m": past_moment(backend)})
        still_held = "SELECT count(*) FROM booking WHERE status = 'HELD' AND hold_expires_at <= :m"
        deadline = time.monotonic() + 10
        while run_sql(db.url, still_held, {"m": past_moment(backend)})[0][0]:
            assert time.monotonic() < deadline, "lapsed offers were not expired by the sweep"
            time.sleep(0.1)
        after = check_history(db.url)

        for kind, acknowledged in run.acknowledged:  # nothing acknowledged is lost
            if kind in ("fill", "book"):
                assert run_sql(db.url, "SELECT count(*) FROM booking WHERE reference = :r", {"r": acknowledged})[0][0] == 1
        joined = sum(1 for kind, _ in run.acknowledged if kind == "join")
        assert joined == int(run_sql(db.url, "SELECT count(*) FROM waitlist_entry")[0][0])
        print(
            f"\n[{backend}, {count} process(es)] {joined} entries, 50 concurrent operations in {took:.2f} s:"
            f" {dict(sorted(run.outcomes.items()))}; after them {during}; {lapsed} offers lapsed, then {after}"
        )
        assert during["offers"] > 0 and after.get("EXPIRED", 0) == during.get("EXPIRED", 0) + lapsed
