"""Mutation rate limits: per token and per client address, shared across server processes
through PostgreSQL or Redis."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import httpx2
import pytest
import redis
from starlette.testclient import TestClient

from server import create_app
from tests.support import ScratchDatabase, ServerProcess, gql, make_token, new_database
from web.settings import Settings


def away_from_a_window_edge() -> None:
    """Counters run in one-minute windows; start well inside one so a test never straddles two."""
    if time.time() % 60 > 50:
        time.sleep(61 - time.time() % 60)


CONFIRM = 'mutation { confirmBooking(input: {reference: "AAAA-BBBB"}) { __typename } }'
REDIS_URL = "redis://127.0.0.1:6379/0"


def test_per_token_and_per_address_in_one_process(fresh_db: ScratchDatabase) -> None:
    token = make_token(fresh_db.url, "OPERATOR", "Busy Tours")
    with TestClient(create_app(fresh_db.url, settings=Settings(mutations_per_minute=3))) as client:
        away_from_a_window_edge()
        answers = [
            client.post("/graphql", json={"query": CONFIRM}, headers={"Authorization": f"Bearer {token}"})
            for _ in range(4)
        ]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        refused = answers[-1].json()["errors"][0]
        assert refused["extensions"]["code"] == "RATE_LIMITED" and 1 <= refused["extensions"]["retryAfter"] <= 60
        assert answers[-1].headers["retry-after"] == str(refused["extensions"]["retryAfter"])
        # Reads are not limited, and the address limit catches callers without a token too.
        assert gql(client, "{ districts(kind: TOWN) { name } }")["data"]["districts"] == [{"name": "Sơn Tây"}]
        anonymous = client.post("/graphql", json={"query": CONFIRM})
        assert anonymous.status_code == 429


def _hit_both(servers: list[ServerProcess], token: str, each: int) -> list[int]:
    async def run() -> list[int]:
        async with httpx2.AsyncClient(timeout=30) as http:
            statuses = []
            for i in range(each * len(servers)):
                response = await http.post(
                    f"{servers[i % len(servers)].url}/graphql",
                    json={"query": CONFIRM},
                    headers={"Authorization": f"Bearer {token}"},
                )
                statuses.append(response.status_code)
            return statuses

    return asyncio.run(run())


def _two_servers(url: str, extra: dict[str, str]) -> list[ServerProcess]:
    servers = [ServerProcess(url, {"CRAFTWAY_MUTATIONS_PER_MINUTE": "5", **extra}) for _ in range(2)]
    for server in servers:
        server.wait_healthy()
    return servers


@pytest.mark.parametrize("shared_by", ["postgresql", "redis"])
def test_the_limit_holds_across_server_processes(shared_by: str, tmp_path: Path) -> None:
    extra = {}
    if shared_by == "redis":
        try:
            redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
        except redis.RedisError:
            message = f"Redis not reachable at {REDIS_URL}"
            if os.environ.get("CRAFTWAY_REQUIRE_REDIS") == "1":
                pytest.fail(message + " and CRAFTWAY_REQUIRE_REDIS=1", pytrace=False)
            pytest.skip(message + "; start it to run this case (see README)")
        extra = {"REDIS_URL": REDIS_URL}
    db = new_database("postgresql", tmp_path)
    servers = _two_servers(db.url, extra)
    try:
        token = make_token(db.url, "OPERATOR", "Shared Tours")
        away_from_a_window_edge()
        statuses = _hit_both(servers, token, each=4)  # 8 mutations over two processes, limit 5
        assert statuses.count(200) == 5 and statuses.count(429) == 3, statuses
    finally:
        for server in servers:
            server.stop()
        db.drop()
