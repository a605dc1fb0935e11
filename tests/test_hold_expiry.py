"""Holds lapse on time with no request: the servers' sweep marks them EXPIRED and frees their
seats within 5 seconds, each exactly once with two server processes on one PostgreSQL database,
and the change is pushed to the operator's bookingChanged subscription."""

from __future__ import annotations

import asyncio
import itertools
import time
from pathlib import Path

import pytest

from tests.live_support import hold, past_moment, servers, session_ids, subscribed
from tests.support import make_token, run_sql

BOOKING_CHANGED = "subscription { bookingChanged { reference status } }"
keys = (f"expiry-{n}" for n in itertools.count())
LAPSE_ALL = "UPDATE booking SET hold_expires_at = :moment WHERE status = 'HELD'"


def _wait_until_expired(url: str, references: list[str], limit: float = 5.0) -> float:
    """Seconds until every hold in `references` is stored EXPIRED (fails after `limit`)."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        held = run_sql(url, "SELECT count(*) FROM booking WHERE status = 'HELD'")[0][0]
        if held == 0:
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"holds still HELD after {limit} s")


@pytest.mark.parametrize(("backend", "count"), [("sqlite", 1), ("postgresql", 2)], ids=["sqlite", "postgresql-2-processes"])
def test_lapsed_holds_expire_once_within_five_seconds_and_are_pushed(backend: str, count: int, tmp_path: Path) -> None:
    with servers(backend, count, tmp_path) as (db, started):
        operator = make_token(db.url, "OPERATOR", "Hanoi Heritage Tours")
        sessions = session_ids(started[0])  # five sessions of ten seats
        taken_before = dict(run_sql(db.url, "SELECT id, seats_taken FROM tour_session"))

        async def scenario() -> tuple[list[str], set[str], float]:
            async with subscribed(started[0], BOOKING_CHANGED, token=operator) as stream:
                first = await stream.first(lambda: hold(started[-1], operator, sessions[0], next(keys)))
                references = [first["bookingChanged"]["reference"]]
                for n in range(19):
                    booking = await asyncio.to_thread(hold, started[n % count], operator, sessions[n % 5], next(keys))
                    references.append(booking["reference"])
                stored = await asyncio.to_thread(run_sql, db.url, "SELECT reference FROM booking WHERE status = 'HELD'")
                references = [r for (r,) in stored]
                # The holds' time runs out now (as if their minutes had passed).
                await asyncio.to_thread(run_sql, db.url, LAPSE_ALL, {"moment": past_moment(backend)})
                took = await asyncio.to_thread(_wait_until_expired, db.url, references)
                pushed: set[str] = set()
                while pushed != set(references):
                    event = (await stream.next(timeout=10))["bookingChanged"]
                    if event["status"] == "EXPIRED":
                        pushed.add(event["reference"])
                return references, pushed, took

        references, pushed, took = asyncio.run(scenario())
        assert took <= 5.0
        assert len(references) >= 20 and pushed == set(references)
        events = run_sql(db.url, "SELECT booking_id, count(*) FROM booking_event WHERE to_status = 'EXPIRED' GROUP BY booking_id")
        assert len(events) == len(references) and all(n == 1 for _booking, n in events)  # each hold expired once
        taken_after = dict(run_sql(db.url, "SELECT id, seats_taken FROM tour_session"))
        assert taken_after == taken_before  # every held seat is free again

