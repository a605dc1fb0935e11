"""Alembic migrations produce exactly the tables the models declare."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import models.tables  # noqa: F401
from models.db import create_engine
from models.engine_shutdown import close_engine
from models.migrate import current_revision, head_revision
from tests.support import Clock, ScratchDatabase, new_database, prepare


@pytest.fixture(params=["sqlite", "postgresql"])
def migrated_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScratchDatabase]:
    db = new_database(request.param, tmp_path_factory.mktemp("db"))
    prepare(db.url, Clock(), seed=False)
    yield db
    db.drop()


def _inspect(url: str, check):  # type: ignore[no-untyped-def]
    async def run():  # type: ignore[no-untyped-def]
        engine = create_engine(url)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(check)
        finally:
            await close_engine(engine)

    return asyncio.run(run())


def test_migrations_match_the_models(migrated_db: ScratchDatabase) -> None:
    diff = _inspect(migrated_db.url, lambda conn: compare_metadata(MigrationContext.configure(conn), SQLModel.metadata))
    assert diff == []


def test_database_is_at_head_and_migrating_again_changes_nothing(migrated_db: ScratchDatabase) -> None:
    assert _inspect(migrated_db.url, current_revision) == head_revision()
    prepare(migrated_db.url, Clock(), seed=False)
    assert _inspect(migrated_db.url, current_revision) == head_revision()
