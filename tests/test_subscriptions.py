"""Subscriptions over WebSocket (graphql-transport-ws) with a real client against server
processes: changes reach subscribers in the process (SQLite) and across processes (PostgreSQL,
LISTEN/NOTIFY, also after the listening connection is killed); bookingChanged is the operator's
own; limits and protocol refusals close or answer cleanly."""

from __future__ import annotations

import asyncio
import itertools
import time
from pathlib import Path
from typing import Any

import pytest
from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportConnectionFailed, TransportQueryError

from models.global_ids import decode_id
from tests.live_support import CANCEL, close_code, hold, post, servers, session_ids, subscribed, ws_transport
from tests.support import ServerProcess, make_token, run_sql

SESSION_CHANGED = "subscription($id: ID!) { sessionChanged(sessionId: $id) { id seatsAvailable capacity status } }"
TOUR_SESSIONS = "subscription($slug: String!) { tourSessionsChanged(tourSlug: $slug) { id seatsAvailable tour { slug } } }"
BOOKING_CHANGED = "subscription { bookingChanged { reference status seats } }"
keys = (f"live-{n}" for n in itertools.count())


def _pk(global_id: str) -> int:
    decoded = decode_id(global_id)
    assert decoded is not None
    return decoded[1]


def _seats_left(url: str, session_id: str) -> int:
    rows = run_sql(url, "SELECT capacity - seats_taken FROM tour_session WHERE id = :id", {"id": _pk(session_id)})
    return int(rows[0][0])


async def _time_one_push(reader: ServerProcess, writer: ServerProcess, operator: str, session_id: str) -> tuple[float, dict[str, Any]]:
    """Seconds from the writer's answer to the reader's push, for a hold of 2 seats."""
    async with subscribed(reader, SESSION_CHANGED, {"id": session_id}) as stream:
        warm = await stream.first(lambda: hold(writer, operator, session_id, next(keys)))
        assert warm["sessionChanged"]["id"] == session_id
        await asyncio.sleep(1)  # let the warm-up holds' events all arrive
        stream.drain()
        await asyncio.to_thread(hold, writer, operator, session_id, next(keys), 2)
        answered = time.monotonic()
        event = await stream.next()
        return time.monotonic() - answered, event["sessionChanged"]


@pytest.mark.parametrize(("backend", "count"), [("sqlite", 1), ("postgresql", 2)], ids=["sqlite", "postgresql-2-processes"])
def test_a_change_through_one_process_reaches_a_subscriber_of_another_within_a_second(backend: str, count: int, tmp_path: Path) -> None:
    with servers(backend, count, tmp_path) as (db, started):
        reader, writer = started[0], started[-1]
        operator = make_token(db.url, "OPERATOR", "Hanoi Heritage Tours")
        session_id = session_ids(writer)[0]
        latency, pushed = asyncio.run(_time_one_push(reader, writer, operator, session_id))
        assert latency < 1.0, f"the push took {latency:.3f} s"
        assert pushed["id"] == session_id
        assert pushed["seatsAvailable"] == _seats_left(db.url, session_id)


def test_the_postgresql_feed_reconnects_after_its_connection_is_killed(tmp_path: Path) -> None:
    with servers("postgresql", 2, tmp_path) as (db, (reader, writer)):
        operator = make_token(db.url, "OPERATOR", "Hanoi Heritage Tours")
        session_id = session_ids(writer)[0]

        async def scenario() -> dict[str, Any]:
            async with subscribed(reader, SESSION_CHANGED, {"id": session_id}) as stream:
                await stream.first(lambda: hold(writer, operator, session_id, next(keys)))
                # The push proves the reader listens; the writer's feed may still be connecting.
                listening = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'"
                for _ in range(200):
                    if (await asyncio.to_thread(run_sql, db.url, listening))[0][0] >= 2:
                        break
                    await asyncio.sleep(0.1)
                killed = await asyncio.to_thread(
                    run_sql, db.url,
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'",
                )
                assert len(killed) == 2  # one feed per server process
                # Changes made while the feed is away are not lost: RESYNC re-reads and pushes.
                await asyncio.to_thread(hold, writer, operator, session_id, next(keys), 3)
                while True:
                    event = (await stream.next(timeout=15))["sessionChanged"]
                    if event["seatsAvailable"] == await asyncio.to_thread(_seats_left, db.url, session_id):
                        return event

        event = asyncio.run(scenario())
        assert event["id"] == session_id
        listening = run_sql(db.url, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'")
        assert listening[0][0] == 2


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_tour_sessions_changed_follows_every_session_of_the_tour(backend: str, tmp_path: Path) -> None:
    with servers(backend, 1, tmp_path) as (db, (server,)):
        operator = make_token(db.url, "OPERATOR", "Hanoi Heritage Tours")
        first, second = session_ids(server)[:2]

        async def scenario() -> set[str]:
            async with subscribed(server, TOUR_SESSIONS, {"slug": "ngu-xa-bronze-heritage"}) as stream:
                event = await stream.first(lambda: hold(server, operator, first, next(keys)))
                seen = {event["tourSessionsChanged"]["id"]}
                await asyncio.to_thread(hold, server, operator, second, next(keys))
                while second not in seen:
                    event = await stream.next()
                    assert event["tourSessionsChanged"]["tour"]["slug"] == "ngu-xa-bronze-heritage"
                    seen.add(event["tourSessionsChanged"]["id"])
                return seen

        assert asyncio.run(scenario()) == {first, second}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_booking_changed_shows_an_operator_its_own_bookings_only(backend: str, tmp_path: Path) -> None:
    with servers(backend, 1, tmp_path) as (db, (server,)):
        mine = make_token(db.url, "OPERATOR", "Hanoi Heritage Tours")
        theirs = make_token(db.url, "OPERATOR", "Other Travel")
        session_id = session_ids(server)[0]

        async def scenario() -> list[dict[str, Any]]:
            async with subscribed(server, BOOKING_CHANGED, token=mine) as stream:
                def both() -> None:
                    hold(server, theirs, session_id, next(keys))
                    hold(server, mine, session_id, next(keys))

                seen = [(await stream.first(both))["bookingChanged"]]
                booking = await asyncio.to_thread(hold, server, mine, session_id, next(keys))
                cancelled = await asyncio.to_thread(post, server, CANCEL, {"r": booking["reference"]}, mine)
                assert cancelled["data"]["cancelBooking"]["__typename"] == "CancelBookingSuccess"
                while not any(e["reference"] == booking["reference"] and e["status"] == "CANCELLED" for e in seen):
                    seen.append((await stream.next())["bookingChanged"])
                return seen

        seen = asyncio.run(scenario())
        owners = dict(run_sql(db.url, "SELECT b.reference, p.name FROM booking b JOIN principal p ON p.id = b.principal_id"))
        assert {owners[e["reference"]] for e in seen} == {"Hanoi Heritage Tours"}
        assert "Other Travel" in owners.values()


def test_booking_changed_needs_an_operator_token(tmp_path: Path) -> None:
    with servers("sqlite", 1, tmp_path) as (_db, (server,)):

        async def anonymous() -> list[Any]:
            async with Client(transport=ws_transport(server)) as session:
                with pytest.raises(TransportQueryError) as refused:
                    async for _ in session.subscribe(GraphQLRequest(BOOKING_CHANGED)):
                        pass
            return list(refused.value.errors or [])

        errors = asyncio.run(anonymous())
        assert errors and errors[0]["extensions"]["code"] == "UNAUTHENTICATED"

        async def bad_token() -> int | None:
            with pytest.raises(TransportConnectionFailed) as failed:
                async with Client(transport=ws_transport(server, "not-a-token")) as session:
                    async for _ in session.subscribe(GraphQLRequest(BOOKING_CHANGED)):
                        pass
            return close_code(failed.value)

        assert asyncio.run(bad_token()) == 4403


def test_a_revoked_token_ends_booking_changed(tmp_path: Path) -> None:
    with servers("sqlite", 1, tmp_path) as (db, (server,)):
        operator = make_token(db.url, "OPERATOR", "Hanoi Heritage Tours")
        session_id = session_ids(server)[0]

        async def scenario() -> BaseException | None:
            async with subscribed(server, BOOKING_CHANGED, token=operator) as stream:
                await stream.first(lambda: hold(server, operator, session_id, next(keys)))
                await asyncio.to_thread(run_sql, db.url, "UPDATE api_token SET revoked_at = created_at")
                stream.drain()
                # A new token for the same operator: its next booking must not reach the old stream.
                fresh = await asyncio.to_thread(make_token, db.url, "OPERATOR", "Hanoi Heritage Tours")
                await asyncio.to_thread(hold, server, fresh, session_id, next(keys))
                try:
                    await stream.next(timeout=10)
                except TransportQueryError as refused:
                    return refused
                return None

        refused = asyncio.run(scenario())
        assert isinstance(refused, TransportQueryError)
        assert refused.errors and refused.errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
