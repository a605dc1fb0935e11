"""Resellers over OCTO and operators over GraphQL race for the same last seats, through server
processes (two on PostgreSQL, one on SQLite): never more seats than the session has, every
acknowledged booking stored, and the OCTO bookings told by webhook like any other."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx2
import pytest

from tests.live_support import hold, post, servers, session_ids
from tests.support import ServerProcess, make_token, run_sql
from tests.webhook_receiver import receiving

CREATE = """mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) {
  ... on CreateWebhookEndpointSuccess { secret } } }"""
HOLD = """mutation($i: HoldSeatsInput!) { holdSeats(input: $i) { __typename
  ... on HoldSeatsSuccess { booking { reference } } ... on UserError { code } } }"""
RACERS = 8  # of each kind, for the 4 seats left


def octo_reserve(server: ServerProcess, token: str, availability_id: str) -> str | None:
    body = {
        "uuid": str(uuid.uuid4()),
        "productId": "ngu-xa-bronze-heritage",
        "optionId": "DEFAULT",
        "availabilityId": availability_id,
        "unitItems": [{"unitId": "ADULT"}],
    }
    headers = {"Authorization": f"Bearer {token}", "Octo-Capabilities": ""}
    response = httpx2.post(f"{server.url}/octo/bookings", json=body, headers=headers, timeout=30)
    if response.status_code == 200:
        return str(response.json()["supplierReference"])
    assert response.json()["error"] == "UNPROCESSABLE_ENTITY", response.text
    return None


def graphql_hold(server: ServerProcess, token: str, session_id: str, key: str) -> str | None:
    variables = {
        "i": {
            "sessionId": session_id,
            "tickets": [{"category": "ADULT", "quantity": 1}],
            "contact": {"name": "Đỗ Minh"},
            "idempotencyKey": key,
        }
    }
    result = post(server, HOLD, variables, token)["data"]["holdSeats"]
    if result["__typename"] == "HoldSeatsSuccess":
        return str(result["booking"]["reference"])
    assert result["code"] == "NOT_ENOUGH_SEATS", result
    return None


@pytest.mark.parametrize(
    ("backend", "count"), [("sqlite", 1), ("postgresql", 2)], ids=["sqlite", "postgresql-2-processes"]
)
def test_octo_and_graphql_clients_never_oversell_the_last_seats(backend: str, count: int, tmp_path: Path) -> None:
    with servers(backend, count, tmp_path) as (db, started), receiving() as hooks:
        reseller = make_token(db.url, "OPERATOR", "Klook-like Reseller")
        operator = make_token(db.url, "OPERATOR", "Hanoi Heritage Tours")
        post(started[0], CREATE, {"i": {"url": hooks.url, "events": ["BOOKING_HELD"]}}, reseller)
        session_id = session_ids(started[0])[0]
        hold(started[0], operator, session_id, "six", seats=6)  # four seats are left
        # OCTO names the session by its start in Hanoi time, as GraphQL writes it.
        starts = post(started[0], "query($id: ID!) { node(id: $id) { ... on Session { startsAt } } }", {"id": session_id})
        availability_id = starts["data"]["node"]["startsAt"]
        barrier = threading.Barrier(2 * RACERS)

        def octo_racer(n: int) -> tuple[str, str | None]:
            barrier.wait()
            return "octo", octo_reserve(started[n % count], reseller, availability_id)

        def graphql_racer(n: int) -> tuple[str, str | None]:
            barrier.wait()
            return "graphql", graphql_hold(started[(n + 1) % count], operator, session_id, f"race-{n}")

        with ThreadPoolExecutor(max_workers=2 * RACERS) as pool:
            futures = [pool.submit(octo_racer, n) for n in range(RACERS)]
            futures += [pool.submit(graphql_racer, n) for n in range(RACERS)]
            results: list[tuple[str, Any]] = [f.result() for f in futures]
        won = [(kind, reference) for kind, reference in results if reference is not None]
        assert len(won) == 4, results  # exactly the seats that were left
        assert run_sql(db.url, "SELECT capacity, seats_taken FROM tour_session WHERE seats_taken > 0") == [(10, 10)]
        stored = {r for (r,) in run_sql(db.url, "SELECT reference FROM booking")}
        assert {reference for _, reference in won} <= stored and len(stored) == 5
        octo_won = {reference for kind, reference in won if kind == "octo"}
        octo_rows = run_sql(db.url, "SELECT count(*) FROM octo_booking")[0][0]
        assert octo_rows == len(octo_won)
        if octo_won:  # the reseller hears of its OCTO holds by webhook, as of any booking
            seen = hooks.wait_for(lambda seen: len(seen) >= len(octo_won))
            assert {request.json["data"]["booking"]["reference"] for request in seen} == octo_won

