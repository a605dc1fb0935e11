"""SIGKILL under load: nothing acknowledged is lost, counters stay true, replays create nothing."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path
from typing import Any

import httpx2
import pytest

from schema.ids import encode_id
from tests.support import ServerProcess, make_token, new_database, run_sql

BOOK = """mutation($i: HoldSeatsInput!) { bookSeats(input: $i) { __typename
  ... on BookSeatsSuccess { booking { reference } } ... on UserError { code } } }"""
NO_RATE_LIMIT = {"CRAFTWAY_MUTATIONS_PER_MINUTE": "100000000"}


def book_input(session_pk: int, key: str) -> dict[str, Any]:
    return {
        "i": {
            "sessionId": encode_id("Session", session_pk),
            "tickets": [{"category": "ADULT", "quantity": 1}],
            "contact": {"name": "Crash test"},
            "idempotencyKey": key,
        }
    }


async def load_until_killed(
    url: str, token: str, sessions: list[int], server: ServerProcess, kill_after_bookings: int
) -> dict[str, str]:
    """16 clients book back to back; the server is SIGKILLed mid-load, once it has acknowledged
    `kill_after_bookings` (so a slow, loaded machine still kills it mid-load, not before it).
    Returns key -> reference for every booking the server acknowledged."""
    acknowledged: dict[str, str] = {}
    keys = itertools.count()
    stop = asyncio.Event()

    async def client() -> None:
        async with httpx2.AsyncClient(timeout=10) as http:
            while not stop.is_set():
                key = f"crash-{next(keys)}"
                try:
                    response = await http.post(
                        f"{url}/graphql",
                        headers={"Authorization": f"Bearer {token}"},
                        json={
                            "query": BOOK,
                            "variables": book_input(sessions[int(key.removeprefix("crash-")) % len(sessions)], key),
                        },
                    )
                except httpx2.HTTPError:
                    await asyncio.sleep(0.01)
                    continue
                result = response.json()["data"]["bookSeats"]
                if result["__typename"] == "BookSeatsSuccess":
                    acknowledged[key] = result["booking"]["reference"]

    async def killer() -> None:
        deadline = asyncio.get_running_loop().time() + 120
        while len(acknowledged) < kill_after_bookings and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.01)
        server.process.kill()  # SIGKILL: no cleanup, no graceful shutdown
        server.process.wait()
        await asyncio.sleep(0.3)
        stop.set()

    await asyncio.gather(killer(), *(client() for _ in range(16)))
    return acknowledged


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_sigkill_mid_load_loses_nothing_acknowledged(backend: str, tmp_path: Path) -> None:
    db = new_database(backend, tmp_path)
    server = ServerProcess(db.url, NO_RATE_LIMIT).wait_healthy()
    try:
        token = make_token(db.url, "OPERATOR", "Crash Tours")
        sessions = [
            int(r[0])
            for r in run_sql(
                db.url,
                "SELECT id FROM tour_session WHERE starts_at > CURRENT_TIMESTAMP ORDER BY starts_at, id LIMIT 12",
            )
        ]
        run_sql(db.url, "UPDATE tour_session SET capacity = 25")
        acknowledged = asyncio.run(load_until_killed(server.url, token, sessions, server, kill_after_bookings=40))
        assert len(acknowledged) >= 40, "the load should have booked something before the kill"
        server.stop()
        server = ServerProcess(db.url, NO_RATE_LIMIT).wait_healthy(timeout=90)

        stored = dict(run_sql(db.url, "SELECT reference, status FROM booking"))
        assert all(stored.get(ref) == "CONFIRMED" for ref in acknowledged.values())
        for _id, capacity, taken, active in run_sql(
            db.url,
            """SELECT s.id, s.capacity, s.seats_taken,
                COALESCE(SUM(b.seats), 0) FROM tour_session s LEFT JOIN booking b ON b.session_id = s.id
                AND b.status IN ('HELD', 'CONFIRMED') GROUP BY s.id, s.capacity, s.seats_taken""",
        ):
            assert taken == active <= capacity
        if backend == "sqlite":
            assert run_sql(db.url, "PRAGMA integrity_check") == [("ok",)]

        before = run_sql(db.url, "SELECT count(*) FROM booking")[0][0]
        stored_keys = [k for (k,) in run_sql(db.url, "SELECT key FROM idempotency_key")]
        assert set(acknowledged) <= set(stored_keys)
        references = {
            k: v
            for k, v in run_sql(
                db.url, "SELECT k.key, b.reference FROM idempotency_key k JOIN booking b ON b.id = k.booking_id"
            )
        }
        with httpx2.Client(timeout=30) as http:
            for key in stored_keys:
                session_pk = sessions[int(key.removeprefix("crash-")) % len(sessions)]
                replay = http.post(
                    f"{server.url}/graphql",
                    headers={"Authorization": f"Bearer {token}"},
                    json={"query": BOOK, "variables": book_input(session_pk, key)},
                ).json()
                assert replay["data"]["bookSeats"]["booking"]["reference"] == references[key]
        assert run_sql(db.url, "SELECT count(*) FROM booking")[0][0] == before
    finally:
        server.stop()
        db.drop()
