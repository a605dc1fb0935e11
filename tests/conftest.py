"""Fixtures: every database test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from starlette.testclient import TestClient

from server import create_app
from tests.support import Clock, InProcess, ScratchDatabase, World, drop_templates, make_token, seeded_database

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session", autouse=True)
def _template_databases() -> Iterator[None]:
    """The seeded templates `seeded_database` copies are made on first use and dropped here."""
    yield
    drop_templates()


@pytest.fixture(scope="module", params=BACKENDS)
def seeded_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScratchDatabase]:
    """A migrated, seeded database shared by one module's read-only tests."""
    db = seeded_database(request.param, tmp_path_factory.mktemp("db"))
    yield db
    db.drop()


@pytest.fixture(params=BACKENDS)
def fresh_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScratchDatabase]:
    """A migrated, seeded database of the test's own, for tests that write."""
    db = seeded_database(request.param, tmp_path_factory.mktemp("db"))
    yield db
    db.drop()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def api(seeded_db: ScratchDatabase, clock: Clock) -> AsyncIterator[InProcess]:
    runner = InProcess(seeded_db.url, clock)
    yield runner
    await runner.close()


@pytest.fixture
def client(seeded_db: ScratchDatabase, clock: Clock) -> Iterator[TestClient]:
    with TestClient(create_app(seeded_db.url, clock=clock)) as test_client:
        yield test_client


@pytest.fixture
def world(fresh_db: ScratchDatabase) -> Iterator[World]:
    """A fresh seeded database served over HTTP, with two operators and Phú Nghĩa center staff."""
    clock = Clock()
    tokens = (
        make_token(fresh_db.url, "OPERATOR", "Hanoi Heritage Tours"),
        make_token(fresh_db.url, "OPERATOR", "Red River Travel"),
        make_token(fresh_db.url, "CENTER_STAFF", "Phú Nghĩa staff", "dc-phu-nghia"),
    )
    with TestClient(create_app(fresh_db.url, clock=clock)) as client:
        yield World(client, clock, fresh_db, *tokens)
