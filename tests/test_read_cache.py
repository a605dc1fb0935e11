"""The anonymous read cache: never stale across processes, never shares private data, and speaks
the client conventions (persisted queries, GET, ETag and 304)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import httpx2
import pytest
from starlette.testclient import TestClient

from schema.ids import decode_id
from tests.generated_reads import catalogue_of, generate
from tests.support import ScratchDatabase, ServerProcess, World, gql, make_token, new_database, run_sql

SEATS = "query($id: ID!) { node(id: $id) { ... on Session { seatsAvailable } } }"
BOOK = """mutation($i: HoldSeatsInput!) { bookSeats(input: $i) { __typename } }"""
FIRST_TOUR = "{ tours(first: 1) { edges { node { id slug sessions(first: 1) { edges { node { id } } } } } } }"
FIRST_SESSION = '{ tour(slug: "ngu-xa-bronze-heritage") { sessions(first: 1) { edges { node { id } } } } }'


@contextmanager
def writer_and_reader(
    backend: str, tmp_path: Path
) -> Iterator[tuple[ScratchDatabase, ServerProcess, ServerProcess, str]]:
    """Two server processes on one new database with room for many bookings, and an operator's token."""
    db = new_database(backend, tmp_path)
    writer = ServerProcess(db.url, {"CRAFTWAY_MUTATIONS_PER_MINUTE": "100000"}).wait_healthy()
    reader = ServerProcess(db.url).wait_healthy()
    try:
        run_sql(db.url, "UPDATE tour_session SET capacity = 500")
        yield db, writer, reader, make_token(db.url, "OPERATOR", "Fresh Tours")
    finally:
        writer.stop()
        reader.stop()
        db.drop()


def booking(session_id: str, key: str) -> dict[str, object]:
    return {
        "sessionId": session_id,
        "contact": {"name": "F"},
        "tickets": [{"category": "ADULT", "quantity": 1}],
        "idempotencyKey": key,
    }


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_a_read_after_a_write_in_another_process_sees_the_write(backend: str, tmp_path: Path) -> None:
    with writer_and_reader(backend, tmp_path) as (_db, writer, reader, token), httpx2.Client(timeout=30) as http:
        first = http.post(f"{reader.url}/graphql", json={"query": FIRST_SESSION}).json()
        session_id = first["data"]["tour"]["sessions"]["edges"][0]["node"]["id"]
        read = {"query": SEATS, "variables": {"id": session_id}}
        for attempt in range(100):
            before = http.post(f"{reader.url}/graphql", json=read).json()["data"]["node"]["seatsAvailable"]
            book(http, writer, token, booking(session_id, f"fresh-{attempt}"))
            after = http.post(f"{reader.url}/graphql", json=read).json()["data"]["node"]["seatsAvailable"]
            assert after == before - 1, (attempt, before, after)


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_generated_reads_after_writes_in_another_process_are_fresh(backend: str, tmp_path: Path) -> None:
    """Any public document, read anonymously (planned, cached) right after a booking made through
    another process, answers what an uncached read of the database answers."""
    with writer_and_reader(backend, tmp_path) as (db, writer, reader, token), httpx2.Client(timeout=30) as http:
        first = http.post(f"{reader.url}/graphql", json={"query": FIRST_TOUR}).json()["data"]["tours"]["edges"][0]
        tour, session = first["node"], first["node"]["sessions"]["edges"][0]["node"]["id"]
        # Documents about the tour and the session every write books into.
        catalogue = catalogue_of(db)
        catalogue.ids, catalogue.slugs["tours"] = [session, tour["id"]], [tour["slug"]]
        generated = generate(catalogue, 700, fields=("tours", "tour", "node"))
        reads = [r for r in generated if "seatsAvailable" in r[0] or "availability" in r[0]][:100]
        assert len(reads) == 100

        def read(document: str, variables: dict[str, object], token: str | None = None) -> object:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            body = {"query": document, "variables": variables}
            return http.post(f"{reader.url}/graphql", json=body, headers=headers).json()

        changed = 0
        for attempt, (document, variables) in enumerate(reads):
            before = read(document, variables)
            book(http, writer, token, booking(session, f"generated-{attempt}"))
            after = read(document, variables)
            assert after == read(document, variables, token), (attempt, document, variables)  # uncached, generic
            changed += after != before
    print(f"{backend}: {changed} of {len(reads)} answers showed the booking")
    assert changed >= 10, f"only {changed} of {len(reads)} answers showed a booking"


def book(http: httpx2.Client, writer: ServerProcess, token: str, booking: dict[str, object]) -> None:
    booked = http.post(
        f"{writer.url}/graphql",
        headers={"Authorization": f"Bearer {token}"},
        json={"query": BOOK, "variables": {"i": booking}},
    ).json()
    assert booked["data"]["bookSeats"]["__typename"] == "BookSeatsSuccess", booked


def test_a_lapsing_hold_reaches_cached_readers_by_time_alone(world: World) -> None:
    session_id = world.session_id()
    read = {"id": session_id}
    assert gql(world.client, SEATS, read)["data"]["node"]["seatsAvailable"] == 10
    world.call(
        """mutation($i: HoldSeatsInput!) { holdSeats(input: $i) { __typename } }""",
        {
            "i": {
                "sessionId": session_id,
                "tickets": [{"category": "ADULT", "quantity": 4}],
                "contact": {"name": "H"},
                "idempotencyKey": "lapse",
                "holdMinutes": 5,
            }
        },
    )
    assert gql(world.client, SEATS, read)["data"]["node"]["seatsAvailable"] == 6
    assert gql(world.client, SEATS, read)["data"]["node"]["seatsAvailable"] == 6  # now from the cache
    world.clock.advance(minutes=5)
    assert gql(world.client, SEATS, read)["data"]["node"]["seatsAvailable"] == 10


def test_private_data_is_never_served_from_the_cache(world: World) -> None:
    mine = "{ viewer { role name bookings { totalCount } calendarUrl } }"
    world.call(
        BOOK,
        {
            "i": {
                "sessionId": world.session_id(),
                "contact": {"name": "P"},
                "tickets": [{"category": "ADULT", "quantity": 1}],
                "idempotencyKey": "p1",
            }
        },
    )
    a = world.call(mine)["data"]["viewer"]
    b = world.call(mine, token=world.other_operator)["data"]["viewer"]
    anonymous = gql(world.client, "{ viewer { role name calendarUrl } }")["data"]["viewer"]
    assert (
        a["bookings"]["totalCount"] == 1 and b["bookings"]["totalCount"] == 0 and a["calendarUrl"] != b["calendarUrl"]
    )
    assert anonymous == {"role": "ANONYMOUS", "name": None, "calendarUrl": None}
    third = make_token(world.db.url, "OPERATOR", "Third Tours")
    assert world.call(mine, token=third)["data"]["viewer"]["bookings"]["totalCount"] == 0


def test_persisted_queries_over_get_with_etags(client: TestClient) -> None:
    query = "{ districts(kind: TOWN) { name } }"
    digest = hashlib.sha256(query.encode()).hexdigest()
    extensions = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": digest}})
    unknown = client.get("/graphql", params={"extensions": extensions}, headers={"Accept": "application/json"})
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    registered = client.post("/graphql", json={"query": query, "extensions": json.loads(extensions)})
    assert registered.json() == {"data": {"districts": [{"name": "Sơn Tây"}]}}
    by_hash = client.get("/graphql", params={"extensions": extensions})
    assert by_hash.json() == {"data": {"districts": [{"name": "Sơn Tây"}]}}
    assert by_hash.headers["cache-control"] == "public, max-age=0, must-revalidate"
    again = client.get(
        "/graphql", params={"extensions": extensions}, headers={"If-None-Match": by_hash.headers["etag"]}
    )
    assert again.status_code == 304 and again.content == b""
    wrong = client.post("/graphql", json={"query": "{ __typename }", "extensions": json.loads(extensions)})
    assert wrong.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"


def test_authenticated_answers_carry_no_shared_cache_headers(world: World) -> None:
    response = world.client.get(
        "/graphql", params={"query": "{ viewer { name } }"}, headers={"Authorization": f"Bearer {world.operator}"}
    )
    assert response.status_code == 200 and "etag" not in response.headers
    assert "public" not in response.headers.get("cache-control", "")


def test_identical_concurrent_misses_are_computed_once(world: World) -> None:
    """After a write, readers of the same query wait for one execution instead of each running it."""
    import asyncio

    import httpx2

    import web.response_cache as response_cache

    calls = 0
    original = response_cache._capture

    async def counted(*args: object) -> object:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.2)  # keep the first computation in flight while the others arrive
        return await original(*args)  # type: ignore[arg-type]

    async def read_together(app: object) -> list[int]:
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url="http://testserver") as http:
            answers = await asyncio.gather(*(http.post("/graphql", json={"query": FIRST_SESSION}) for _ in range(10)))
        return [a.status_code for a in answers]

    response_cache._capture = counted  # type: ignore[assignment]
    try:
        statuses = world.client.portal.call(read_together, world.client.app)  # type: ignore[union-attr]
    finally:
        response_cache._capture = original
    assert statuses == [200] * 10 and calls == 1


STARTS = '{ tour(slug: "ngu-xa-bronze-heritage") { sessions { edges { node { id startsAt bookingClosesAt } } } } }'


def test_a_session_leaves_cached_lists_when_it_starts(world: World) -> None:
    """Past its cut-off a session is still listed (as CLOSED) until it starts; its start must end
    the cached answer even when no other cut-off or hold lapse comes first."""
    first = gql(world.client, STARTS)["data"]["tour"]["sessions"]["edges"][0]["node"]
    run_sql(world.db.url, "DELETE FROM tour_session WHERE id <> :keep", {"keep": decode_id(first["id"])[1]})
    world.clock.now = datetime.fromisoformat(first["bookingClosesAt"]) + timedelta(minutes=1)
    listed = [e["node"]["id"] for e in gql(world.client, STARTS)["data"]["tour"]["sessions"]["edges"]]
    assert listed == [first["id"]]
    assert [e["node"]["id"] for e in gql(world.client, STARTS)["data"]["tour"]["sessions"]["edges"]] == listed
    world.clock.now = datetime.fromisoformat(first["startsAt"]) + timedelta(seconds=1)
    assert gql(world.client, STARTS)["data"]["tour"]["sessions"]["edges"] == []


def test_the_graphiql_page_is_never_served_to_a_json_client(client: TestClient) -> None:
    page = client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    api = client.get("/graphql", headers={"Accept": "application/json"})
    assert not api.headers["content-type"].startswith("text/html")
    assert "errors" in api.json()


def test_answers_name_the_headers_they_depend_on(client: TestClient) -> None:
    query = {"query": "{ districts(kind: TOWN) { name } }"}
    for response in (
        client.get("/graphql", params=query),
        client.post("/graphql", json=query),
        client.post("/graphql", json=query, headers={"Authorization": "Bearer cw_unknown"}),
    ):
        varies = {v.strip().lower() for v in response.headers.get("vary", "").split(",")}
        assert {"accept", "authorization"} <= varies, response.headers


def test_a_body_that_is_not_json_is_refused_even_after_the_same_body_as_json(client: TestClient) -> None:
    body = b'{"query": "{ districts(kind: TOWN) { name } }"}'
    assert client.post("/graphql", content=body, headers={"Content-Type": "application/json"}).status_code == 200
    assert client.post("/graphql", content=body, headers={"Content-Type": "text/plain"}).status_code == 400
    assert client.post("/graphql", content=body).status_code == 400


def test_the_same_answer_in_two_media_types_has_two_etags(client: TestClient) -> None:
    query = {"query": "{ districts(kind: TOWN) { name } }"}
    plain = client.get("/graphql", params=query, headers={"Accept": "application/json"})
    typed = client.get("/graphql", params=query, headers={"Accept": "application/graphql-response+json"})
    assert plain.content == typed.content
    assert plain.headers["content-type"] != typed.headers["content-type"]
    assert plain.headers["etag"] != typed.headers["etag"]
