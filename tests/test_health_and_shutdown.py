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


async def _get(port: int, path: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """Open a connection and send a whole GET request on it; the answer is read later."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    return reader, writer


async def _status(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> int:
    answer = await reader.read()  # until the server closes the connection
    writer.close()
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_sigterm_finishes_in_flight_requests(backend: str, tmp_path: Path) -> None:
    db = new_database(backend, tmp_path)
    server = ServerProcess(db.url).wait_healthy()
    feed = "/calendar/tours/bat-trang-museum-wheel.ics"  # the largest seeded feed

    async def run() -> list[int]:
        connections = [await _get(server.port, feed) for _ in range(12)]
        # Signal once the server has taken every connection and read its request (so each one
        # is in flight), however loaded the machine is; most are still being served then.
        # (A connection counts once seen: the first answers may be sent and closed meanwhile.)
        deadline = asyncio.get_running_loop().time() + 30
        seen: set[str] = set()
        while len(seen) < len(connections):
            assert asyncio.get_running_loop().time() < deadline, "the server never read the requests"
            seen |= server.connections_read()
            await asyncio.sleep(0.002)
        server.process.send_signal(signal.SIGTERM)
        return [await _status(reader, writer) for reader, writer in connections]

    try:
        statuses = asyncio.run(run())
        assert statuses == [200] * 12
        # uvicorn shuts down gracefully, then re-raises SIGTERM so the parent sees why it ended.
        assert server.process.wait(timeout=30) in (0, -signal.SIGTERM)
    finally:
        server.stop()
        db.drop()
