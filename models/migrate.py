"""Bring a database to the current schema and seed it, once, even with several processes.

Everything happens in one transaction: on PostgreSQL behind a transaction-scoped advisory lock,
on SQLite behind BEGIN IMMEDIATE. A second process starting at the same moment waits, then finds
the schema current and the data present, and does nothing.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from models.db import WRITE_OPTION
from models.seed.loader import load_seed, seed_database
from models.tables import District
from models.timeutil import Clock, system_clock
from models.units.seeding import top_up

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Arbitrary constant naming Craftway's start-up lock among PostgreSQL advisory locks.
STARTUP_LOCK_KEY = 7_406_311_923


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _upgrade(conn: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = conn
    command.upgrade(config, "head")


async def prepare_database(engine: AsyncEngine, *, seed: bool = True, now: Clock = system_clock) -> bool:
    """Migrate to head and seed an empty catalogue. Returns True when this call seeded."""
    async with engine.connect() as conn:
        conn = await conn.execution_options(**{WRITE_OPTION: True})
        async with conn.begin():
            if conn.dialect.name == "postgresql":
                await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": STARTUP_LOCK_KEY})
            await conn.run_sync(_upgrade)
            if not seed:
                return False
            districts = (await conn.execute(select(func.count()).select_from(District))).scalar_one()
            if districts:
                await conn.run_sync(top_up, load_seed)  # a catalogue seeded before the 2025 units
                return False
            await conn.run_sync(seed_database, now())
            return True
