"""Real concurrent clients against real server processes: never oversold, never duplicated.

SQLite runs one server process; PostgreSQL runs two on the same database, and the clients
alternate between them.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from tests.support import ScratchDatabase, ServerProcess, make_token, new_database, run_sql

BOOK = """mutation($i: HoldSeatsInput!) { bookSeats(input: $i) { __typename
  ... on BookSeatsSuccess { booking { reference status } } ... on UserError { code } } }"""
FIRST_SESSION = """{ tour(slug: "ngu-xa-bronze-heritage") { sessions(first: 1, onlyAvailable: true) {
  edges { node { id capacity seatsAvailable } } } } }"""


@pytest.fixture(params=[("sqlite", 1), ("postgresql", 2)], ids=["sqlite-1-process", "postgresql-2-processes"])
def servers(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[ScratchDatabase, list[ServerProcess]]]:
    backend, count = request.param
    db = new_database(backend, tmp_path)  # empty: the servers migrate and seed it, at the real time
    # One operator sends hundreds of mutations a minute here; the rate limit is tested elsewhere.
    started = [ServerProcess(db.url, {"CRAFTWAY_MUTATIONS_PER_MINUTE": "100000"}) for _ in range(count)]
    try:
        for server in started:
            server.wait_healthy()
        yield db, started
    finally:
        for server in started:
            server.stop()
        db.drop()


def _book_input(session_id: str, key: str, seats: int = 1) -> dict[str, Any]:
    return {
        "i": {
            "sessionId": session_id,
            "tickets": [{"category": "ADULT", "quantity": seats}],
            "contact": {"name": "Đoàn khách"},
            "idempotencyKey": key,
        }
    }


async def _send_all(urls: list[str], token: str, payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Send every payload at once, each on its own connection, spread over the servers."""
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx2.Limits(max_connections=len(payloads), max_keepalive_connections=0)
    async with httpx2.AsyncClient(timeout=120, limits=limits) as client:

        async def send(index: int, variables: dict[str, Any]) -> dict[str, Any]:
            response = await client.post(
                f"{urls[index % len(urls)]}/graphql", headers=headers, json={"query": BOOK, "variables": variables}
            )
            assert response.status_code == 200, response.text
            body: dict[str, Any] = response.json()
            assert "errors" not in body, body
            return body["data"]["bookSeats"]

        return await asyncio.gather(*(send(i, v) for i, v in enumerate(payloads)))


def _first_session(server: ServerProcess) -> dict[str, Any]:
    body = httpx2.post(f"{server.url}/graphql", json={"query": FIRST_SESSION}, timeout=30).json()
    node: dict[str, Any] = body["data"]["tour"]["sessions"]["edges"][0]["node"]
    return node


def _assert_counter_matches_bookings(db: ScratchDatabase) -> None:
    rows = run_sql(
        db.url,
        """SELECT s.id, s.capacity, s.seats_taken, COALESCE(SUM(b.seats), 0)
        FROM tour_session s LEFT JOIN booking b ON b.session_id = s.id AND b.status IN ('HELD', 'CONFIRMED')
        GROUP BY s.id, s.capacity, s.seats_taken""",
    )
    for _id, capacity, taken, active in rows:
        assert taken == active <= capacity


def test_fifty_clients_racing_for_ten_seats(servers: tuple[ScratchDatabase, list[ServerProcess]]) -> None:
    db, started = servers
    token = make_token(db.url, "OPERATOR", "Race Tours")
    session = _first_session(started[0])
    assert session["capacity"] == 10 == session["seatsAvailable"]
    payloads = [_book_input(session["id"], f"race-{i}") for i in range(50)]
    results = asyncio.run(_send_all([s.url for s in started], token, payloads))
    outcomes = Counter(r.get("code", r["__typename"]) for r in results)
    assert outcomes == {"BookSeatsSuccess": 10, "NOT_ENOUGH_SEATS": 40}
    assert _first_session(started[-1])["id"] != session["id"]  # sold out, so no longer "available"
    assert run_sql(db.url, "SELECT count(*) FROM booking")[0][0] == 10
    _assert_counter_matches_bookings(db)


def test_each_of_100_bookings_replayed_three_times_at_once_is_stored_once(
    servers: tuple[ScratchDatabase, list[ServerProcess]],
) -> None:
    db, started = servers
    token = make_token(db.url, "OPERATOR", "Replay Tours")
    session = _first_session(started[0])
    run_sql(db.url, "UPDATE tour_session SET capacity = 1000")
    payloads = [_book_input(session["id"], f"replay-{i}") for i in range(100) for _ in range(3)]
    random.Random(7).shuffle(payloads)
    results = asyncio.run(_send_all([s.url for s in started], token, payloads))
    references: dict[str, set[str]] = {}
    for variables, result in zip(payloads, results, strict=True):
        assert result["__typename"] == "BookSeatsSuccess", result
        references.setdefault(variables["i"]["idempotencyKey"], set()).add(result["booking"]["reference"])
    assert len(references) == 100 and all(len(refs) == 1 for refs in references.values())
    assert run_sql(db.url, "SELECT count(*) FROM booking")[0][0] == 100
    assert run_sql(db.url, "SELECT count(*) FROM idempotency_key")[0][0] == 100
    _assert_counter_matches_bookings(db)
