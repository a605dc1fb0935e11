"""The graphql-transport-ws endpoint refuses cleanly: the query limits apply to subscription
documents, a connection holds at most 100 subscriptions, and one that never sends
connection_init is closed with 4408. Spoken raw, message by message, to see each answer."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.live_support import servers, session_ids
from tests.support import ServerProcess

PROTOCOL = "graphql-transport-ws"


def _ws_url(server: ServerProcess) -> str:
    return server.url.replace("http", "ws", 1) + "/graphql"


async def _receive(ws: ClientConnection) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 10))
    return message


async def _initialised(ws: ClientConnection) -> None:
    await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
    assert (await _receive(ws))["type"] == "connection_ack"


def _subscribe(op_id: str, query: str, variables: dict[str, Any] | None = None) -> str:
    return json.dumps({"id": op_id, "type": "subscribe", "payload": {"query": query, "variables": variables or {}}})


def test_limits_apply_to_subscription_documents(tmp_path: Path) -> None:
    deep = (
        "subscription($id: ID!) { sessionChanged(sessionId: $id) { tour { village { tours { edges { node { village { "
        "tours { edges { node { village { tours { edges { node { id } } } } } } } } } } } } } } }"
    )
    many_aliases = "subscription($id: ID!) { sessionChanged(sessionId: $id) { " + " ".join(f"a{n}: id" for n in range(40)) + " } }"
    with servers("sqlite", 1, tmp_path) as (_db, (server,)):
        session_id = session_ids(server)[0]

        async def answers() -> list[dict[str, Any]]:
            async with connect(_ws_url(server), subprotocols=[PROTOCOL]) as ws:
                await _initialised(ws)
                found = []
                for op_id, query in (("deep", deep), ("aliases", many_aliases)):
                    await ws.send(_subscribe(op_id, query, {"id": session_id}))
                    found.append(await _receive(ws))
                return found

        deep_answer, alias_answer = asyncio.run(answers())
        assert deep_answer["type"] == "error" and "exceeds maximum operation depth" in deep_answer["payload"][0]["message"]
        assert alias_answer["type"] == "error" and "aliases" in alias_answer["payload"][0]["message"].lower()


def test_a_connection_holds_at_most_100_subscriptions(tmp_path: Path) -> None:
    query = "subscription($id: ID!) { sessionChanged(sessionId: $id) { id } }"
    with servers("sqlite", 1, tmp_path) as (_db, (server,)):
        session_id = session_ids(server)[0]

        async def hundred_and_one() -> tuple[dict[str, Any], bool]:
            async with connect(_ws_url(server), subprotocols=[PROTOCOL]) as ws:
                await _initialised(ws)
                for n in range(101):
                    await ws.send(_subscribe(str(n), query, {"id": session_id}))
                refused = await _receive(ws)
                # The connection stays usable: ping still answers.
                await ws.send(json.dumps({"type": "ping"}))
                return refused, (await _receive(ws))["type"] == "pong"

        refused, alive = asyncio.run(hundred_and_one())
        assert refused["id"] == "100" and refused["type"] == "error"
        assert refused["payload"][0]["message"] == "Subscription limit reached"
        assert alive


def test_a_connection_without_connection_init_is_closed_with_4408(tmp_path: Path) -> None:
    with servers("sqlite", 1, tmp_path, {"CRAFTWAY_WS_INIT_TIMEOUT": "1"}) as (_db, (server,)):

        async def wait_silently() -> int | None:
            async with connect(_ws_url(server), subprotocols=[PROTOCOL]) as ws:
                try:
                    await asyncio.wait_for(ws.recv(), 10)
                except ConnectionClosed as closed:
                    return closed.rcvd.code if closed.rcvd else None
            return None

        assert asyncio.run(wait_silently()) == 4408


def test_queries_and_mutations_go_over_http_not_the_websocket(tmp_path: Path) -> None:
    with servers("sqlite", 1, tmp_path) as (_db, (server,)):

        async def ask() -> dict[str, Any]:
            async with connect(_ws_url(server), subprotocols=[PROTOCOL]) as ws:
                await _initialised(ws)
                await ws.send(_subscribe("q", "{ districts { slug } }"))
                return await _receive(ws)

        answer = asyncio.run(ask())
        errors = answer["payload"]["errors"] if answer["type"] == "next" else answer["payload"]
        assert errors[0]["extensions"]["code"] == "BAD_REQUEST" and "HTTP POST" in errors[0]["message"]
