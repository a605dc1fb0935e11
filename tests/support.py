"""Test helpers: databases on both backends, a settable clock, GraphQL over HTTP and in-process."""

from __future__ import annotations

import asyncio
import functools
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx2
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from models.auth import create_token
from models.booking.locking import begin_write
from models.db import create_engine, session_factory
from models.engine_shutdown import close_engine
from models.migrate import prepare_database
from resolvers.context import Context
from schema.build import CraftwaySchema, build_schema

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_URL = os.environ.get("CRAFTWAY_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("CRAFTWAY_REQUIRE_POSTGRES") == "1"
REQUIRE_NPM = os.environ.get("CRAFTWAY_REQUIRE_NPM") == "1"
JS_DIR = Path(__file__).resolve().parent / "js"
# Tests run at a fixed moment so seeded sessions and cut-offs do not depend on the wall clock.
T0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


class Clock:
    """A clock tests can move: `clock.advance(minutes=16)`."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _postgres_reachable() -> bool:
    try:
        conn = await asyncpg.connect(_asyncpg_dsn(POSTGRES_ADMIN_URL), timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await conn.close()
    return True


def require_postgres() -> None:
    """Skip loudly without PostgreSQL, or fail when CI demands it (CRAFTWAY_REQUIRE_POSTGRES=1)."""
    if asyncio.run(_postgres_reachable()):
        return
    message = f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}"
    if REQUIRE_POSTGRES:
        pytest.fail(message + " and CRAFTWAY_REQUIRE_POSTGRES=1", pytrace=False)
    pytest.skip(message + "; start it to run the PostgreSQL cases (see README)")


def require_node_package(package: str) -> None:
    """Skip loudly without node or an npm package of tests/js (`make test` installs them), or
    fail when CI demands them (CRAFTWAY_REQUIRE_NPM=1)."""
    if shutil.which("node") is not None and (JS_DIR / "node_modules" / package).exists():
        return
    message = f"{package} is not installed in tests/js (needs node and npm; `make test` installs it)"
    if REQUIRE_NPM:
        pytest.fail(message + " and CRAFTWAY_REQUIRE_NPM=1", pytrace=False)
    pytest.skip(message)


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(_asyncpg_dsn(POSTGRES_ADMIN_URL))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@dataclass
class ScratchDatabase:
    backend: str
    url: str

    def drop(self) -> None:
        if self.backend == "postgresql":
            name = make_url(self.url).database
            asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def new_database(backend: str, tmp_dir: Any) -> ScratchDatabase:
    """An empty database of `backend`: a new SQLite file, or a new PostgreSQL database."""
    if backend == "sqlite":
        return ScratchDatabase(backend, f"sqlite:///{tmp_dir}/craftway-{uuid.uuid4().hex[:8]}.db")
    require_postgres()
    name = f"craftway_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    return ScratchDatabase(backend, str(make_url(POSTGRES_ADMIN_URL).set(database=name)))


_TEMPLATES: dict[str, ScratchDatabase] = {}
_TEMPLATE_FOLDERS: list[str] = []


def drop_templates() -> None:
    """Remove this process's template databases (conftest calls it when the session ends)."""
    for template in _TEMPLATES.values():
        template.drop()
    for folder in _TEMPLATE_FOLDERS:
        shutil.rmtree(folder, ignore_errors=True)
    _TEMPLATES.clear()
    _TEMPLATE_FOLDERS.clear()


def seeded_database(backend: str, tmp_dir: Any) -> ScratchDatabase:
    """A database migrated and seeded at T0, copied from one template per backend and test
    process: migrating and seeding takes most of a second, a copy a few milliseconds. The copy
    is a real database of its own (CREATE DATABASE ... TEMPLATE, or SQLite's backup API)."""
    template = _TEMPLATES.get(backend)
    if template is None:
        folder = tempfile.mkdtemp(prefix="craftway-template-")
        template = new_database(backend, folder)
        prepare(template.url, Clock())
        _TEMPLATES[backend] = template
        _TEMPLATE_FOLDERS.append(folder)
    if backend == "sqlite":
        copy = new_database(backend, tmp_dir)
        source, target = sqlite3.connect(_sqlite_path(template.url)), sqlite3.connect(_sqlite_path(copy.url))
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        return copy
    name = f"craftway_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}" TEMPLATE "{make_url(template.url).database}"'))
    return ScratchDatabase(backend, str(make_url(POSTGRES_ADMIN_URL).set(database=name)))


def _sqlite_path(url: str) -> str:
    database = make_url(url).database
    assert database is not None
    return database


def prepare(url: str, clock: Clock, *, seed: bool = True) -> None:
    async def run() -> None:
        engine = create_engine(url)
        try:
            await prepare_database(engine, seed=seed, now=clock)
        finally:
            await close_engine(engine)

    asyncio.run(run())


@functools.cache
def shared_schema() -> CraftwaySchema:
    """One schema for every in-process test, built on first use (building it takes a while)."""
    return build_schema()


class InProcess:
    """Runs GraphQL documents through `schema.execute` on a fresh engine (in the test's loop)."""

    def __init__(self, url: str, clock: Clock) -> None:
        self.engine = create_engine(url)
        self.sessions = session_factory(self.engine)
        self.clock = clock

    async def execute(
        self, query: str, variables: dict[str, Any] | None = None, principal: Any = None, language: str = "vi"
    ) -> Any:
        context = Context(sessions=self.sessions, now=self.clock(), principal=principal, language=language)
        return await shared_schema().execute(query, variable_values=variables, context_value=context)

    async def close(self) -> None:
        await close_engine(self.engine)


def gql(client: Any, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> dict[str, Any]:
    """POST a GraphQL document through the real app and return the JSON body."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def error_codes(body: dict[str, Any]) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in body.get("errors", [])]


def make_token(url: str, role: str, name: str, center_slug: str | None = None) -> str:
    """A bearer token made the way `server.py create-token` makes one."""

    async def run() -> str:
        engine = create_engine(url)
        try:
            async with session_factory(engine)() as db:
                await begin_write(db)  # a running server's background work may be writing
                token = await create_token(db, role, name, T0, center_slug)
                await db.commit()
                return token
        finally:
            await close_engine(engine)

    return asyncio.run(run())


def run_sql(url: str, statement: str, params: dict[str, Any] | None = None) -> list[Any]:
    """Run one SQL statement against `url` (rows for a SELECT), committing writes."""

    async def run() -> list[Any]:
        engine = create_engine(url)
        try:
            async with engine.begin() as conn:
                result = await conn.execute(text(statement), params or {})
                return list(result.all()) if result.returns_rows else []
        finally:
            await close_engine(engine)

    return asyncio.run(run())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    """`server.py` started as a user would, as its own OS process."""

    def __init__(self, url: str, extra_env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        env = {**os.environ, "DATABASE_URL": url, "HOST": "127.0.0.1", "PORT": str(self.port), **(extra_env or {})}
        self.process = subprocess.Popen(
            [sys.executable, "server.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_healthy(self, timeout: float = 60) -> ServerProcess:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                stderr = self.process.stderr.read().decode() if self.process.stderr else ""
                raise AssertionError(f"server exited early: {stderr[-2000:]}")
            try:
                if httpx2.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx2.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError("server did not become healthy")

    def connections_read(self) -> set[str]:
        """Established TCP connections on the server's port that the process has accepted and
        whose received bytes it has all read (the kernel holds what the server has not taken
        yet; a request still there is not in flight), as socket inodes. Linux only: reads /proc."""
        owned = set()
        for fd in Path(f"/proc/{self.process.pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                owned.add(target.removeprefix("socket:[").removesuffix("]"))
        found = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                established = fields[3] == "01"
                unread = int(fields[4].split(":")[1], 16)
                if established and local_port == self.port and fields[9] in owned and unread == 0:
                    found.add(fields[9])
        return found

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()


SESSIONS_OF_TOUR = """query($slug: String!) { tour(slug: $slug) { sessions(first: 3) { edges { node { id capacity seatsAvailable } } } } }"""


@dataclass
class World:
    client: TestClient
    clock: Clock
    db: ScratchDatabase
    operator: str
    other_operator: str
    center_staff: str

    def call(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> dict[str, Any]:
        return gql(self.client, query, variables, token if token is not None else self.operator)

    def session_id(self, slug: str = "ngu-xa-bronze-heritage", index: int = 0) -> str:
        edges = self.call(SESSIONS_OF_TOUR, {"slug": slug})["data"]["tour"]["sessions"]["edges"]
        return str(edges[index]["node"]["id"])

    def seats_available(self, session_id: str) -> int:
        body = self.call("query($id: ID!) { node(id: $id) { ... on Session { seatsAvailable } } }", {"id": session_id})
        return int(body["data"]["node"]["seatsAvailable"])

    def bookings_stored(self) -> int:
        return int(run_sql(self.db.url, "SELECT count(*) FROM booking")[0][0])
