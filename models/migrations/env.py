"""Alembic environment. Craftway runs migrations itself at start-up (see models.migrate), handing
Alembic an open connection; the `alembic` CLI path builds its own engine from DATABASE_URL."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

import models.tables  # noqa: F401  (registers every table on the metadata)
from models.db import DEFAULT_DATABASE_URL, create_engine
from models.engine_shutdown import close_engine

target_metadata = SQLModel.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_own_engine() -> None:
    engine = create_engine(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    async with engine.begin() as conn:
        await conn.run_sync(_run)
    await close_engine(engine)


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    asyncio.run(_run_with_own_engine())
