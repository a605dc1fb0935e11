"""/healthz, /readyz, and SIGTERM letting in-flight requests finish."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import httpx2
import pytest
from starlette.testclient import TestClient

from tests.support import ScratchDatabase, ServerProcess, new_database, run_sql


def test_readyz_reports_database_and_migrations(client: TestClient, seeded_db: ScratchDatabase) -> None:
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["ready"] is True
    current = run_sql(seeded_db.url, "SELECT version_num FROM alembic_version")[0][0]
    run_sql(seeded_db.url, "UPDATE alembic_version SET version_num = '0001'")
    try:
        behind = client.get("/readyz")
        assert behind.status_code == 503 and behind.json()["migration"] == "0001"
    finally:
        run_sql(seeded_db.url, "UPDATE alembic_version SET version_num = :v", {"v": current})
    assert client.get("/healthz").status_code == 200


def test_readyz_fails_when_the_database_is_gone(tmp_path: Path) -> None:
    db = new_database("postgresql", tmp_path)
    server = ServerProcess(db.url).wait_healthy()
    try:
        assert httpx2.get(f"{server.url}/readyz", timeout=10).status_code == 200
        db.drop()  # terminates the server's connections and removes the database
        assert httpx2.get(f"{server.url}/readyz", timeout=30).status_code == 503
        assert httpx2.get(f"{server.url}/healthz", timeout=10).status_code == 200
    finally:
        server.stop()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_sigterm_finishes_in_flight_requests(backend: str, tmp_path: Path) -> None:
    db = new_database(backend, tmp_path)
    server = ServerProcess(db.url).wait_healthy()
    feed = f"{server.url}/calendar/tours/bat-trang-museum-wheel.ics"  # the largest seeded feed

    async def run() -> list[int]:
        async with httpx2.AsyncClient(timeout=60) as http:
            requests = [asyncio.create_task(http.get(feed)) for _ in range(12)]
            # Signal once the server has taken every connection (so each request is in flight),
            # however loaded the machine is; most are still being served then.
            deadline = asyncio.get_running_loop().time() + 30
            while server.accepted_connections() < len(requests):
                assert asyncio.get_running_loop().time() < deadline, "the server never took the connections"
                await asyncio.sleep(0.005)
            server.process.send_signal(signal.SIGTERM)
            return [r.status_code for r in await asyncio.gather(*requests)]

    try:
        statuses = asyncio.run(run())
        assert statuses == [200] * 12
        # uvicorn shuts down gracefully, then re-raises SIGTERM so the parent sees why it ended.
        assert server.process.wait(timeout=30) in (0, -signal.SIGTERM)
    finally:
        server.stop()
        db.drop()
