"""Helpers for the live tests: server processes on one database, GraphQL over HTTP, and
subscriptions through a real client (gql's websockets transport, graphql-transport-ws)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2
from gql import Client, GraphQLRequest
from gql.transport.websockets import WebsocketsTransport
from websockets.exceptions import ConnectionClosed

from tests.support import ScratchDatabase, ServerProcess, new_database

HOLD = """mutation($i: HoldSeatsInput!) { holdSeats(input: $i) { __typename
  ... on HoldSeatsSuccess { booking { id reference status } } ... on UserError { code message } } }"""
CANCEL = """mutation($r: String!) { cancelBooking(input: {reference: $r}) { __typename ... on UserError { code } } }"""
SESSIONS = """query($slug: String!) { tour(slug: $slug) { sessions(first: 5, onlyAvailable: true) {
  edges { node { id capacity seatsAvailable } } } } }"""


@contextlib.contextmanager
def servers(backend: str, count: int, tmp_path: Path, env: dict[str, str] | None = None) -> Iterator[tuple[ScratchDatabase, list[ServerProcess]]]:
    """`count` server processes on one new database, which the first migrates and seeds."""
    db = new_database(backend, tmp_path)
    settings = {"CRAFTWAY_MUTATIONS_PER_MINUTE": "100000", "CRAFTWAY_WEBHOOKS_ALLOW_PRIVATE": "1", **(env or {})}
    started: list[ServerProcess] = []
    try:
        for _ in range(count):
            started.append(ServerProcess(db.url, settings).wait_healthy())
        yield db, started
    finally:
        for server in started:
            server.stop()
        db.drop()


def post(server: ServerProcess, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = httpx2.post(f"{server.url}/graphql", json={"query": query, "variables": variables or {}}, headers=headers, timeout=30)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def session_ids(server: ServerProcess, slug: str = "ngu-xa-bronze-heritage") -> list[str]:
    edges = post(server, SESSIONS, {"slug": slug})["data"]["tour"]["sessions"]["edges"]
    return [edge["node"]["id"] for edge in edges]


def hold(server: ServerProcess, token: str, session_id: str, key: str, seats: int = 1, minutes: int | None = None) -> dict[str, Any]:
    variables = {
        "i": {
            "sessionId": session_id,
            "tickets": [{"category": "ADULT", "quantity": seats}],
            "contact": {"name": "Nguyễn Văn An", "phone": "+84 912 345 678", "email": "an@example.vn"},
            "idempotencyKey": key,
            **({"holdMinutes": minutes} if minutes else {}),
        }
    }
    result = post(server, HOLD, variables, token)["data"]["holdSeats"]
    assert result["__typename"] == "HoldSeatsSuccess", result
    booking: dict[str, Any] = result["booking"]
    return booking


def ws_transport(server: ServerProcess, token: str | None = None) -> WebsocketsTransport:
    return WebsocketsTransport(
        url=server.url.replace("http", "ws", 1) + "/graphql",
        init_payload={"Authorization": f"Bearer {token}"} if token else {},
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
    )


class Events:
    """A subscription's events, read by a task of their own into a queue: waiting for the next
    one with a timeout never cancels the subscription itself."""

    def __init__(self, stream: AsyncIterator[dict[str, Any]]) -> None:
        self.queue: asyncio.Queue[dict[str, Any] | BaseException] = asyncio.Queue()
        self.task = asyncio.create_task(self._pump(stream))

    async def _pump(self, stream: AsyncIterator[dict[str, Any]]) -> None:
        try:
            async for event in stream:
                await self.queue.put(event)
        except Exception as error:  # the test sees it on its next read
            await self.queue.put(error)

    async def next(self, timeout: float = 5) -> dict[str, Any]:
        item = await asyncio.wait_for(self.queue.get(), timeout)
        if isinstance(item, BaseException):
            raise item
        return item

    def drain(self) -> list[dict[str, Any]]:
        found = []
        while not self.queue.empty():
            item = self.queue.get_nowait()
            if isinstance(item, BaseException):
                raise item
            found.append(item)
        return found

    async def first(self, poke: Callable[[], object], every: float = 0.3, limit: float = 20) -> dict[str, Any]:
        """The first event, calling `poke()` (a change, in a thread) until it comes: the server
        starts listening some moment after the subscribe message, and this waits that out."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        while loop.time() < deadline:
            await asyncio.to_thread(poke)
            try:
                return await self.next(timeout=every)
            except TimeoutError:
                continue
        raise AssertionError("no event came")


@contextlib.asynccontextmanager
async def subscribed(
    server: ServerProcess, document: str, variables: dict[str, Any] | None = None, token: str | None = None
) -> AsyncIterator[Events]:
    """An open subscription and its events."""
    async with Client(transport=ws_transport(server, token)) as session:
        events = Events(session.subscribe(GraphQLRequest(document, variable_values=variables)))
        try:
            yield events
        finally:
            events.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await events.task


def close_code(failure: BaseException) -> int | None:
    """The WebSocket close code the server sent, from the error gql raised about it."""
    cause: BaseException | None = failure
    while cause is not None:
        if isinstance(cause, ConnectionClosed) and cause.rcvd is not None:
            return cause.rcvd.code
        cause = cause.__cause__
    return None


def past_moment(backend: str) -> object:
    """A second ago, as a parameter the backend stores: SQLite's columns hold naive UTC."""
    moment = datetime.now(UTC) - timedelta(seconds=1)
    return moment.replace(tzinfo=None) if backend == "sqlite" else moment
