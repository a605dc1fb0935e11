"""Write transactions that serialise where they must.

SQLite: BEGIN IMMEDIATE takes the database's write lock up front (one writer at a time).
PostgreSQL: row locks on the session (SELECT ... FOR UPDATE) and a transaction-scoped advisory
lock per idempotency key, always taken in that order: key first, then session.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.db import write_connection_options
from models.tables import TourSession


async def begin_write(db: AsyncSession) -> None:
    await write_connection_options(db)


def _is_postgres(db: AsyncSession) -> bool:
    return db.get_bind().dialect.name == "postgresql"


async def lock_idempotency_key(db: AsyncSession, principal_id: int, key: str) -> None:
    """Make a second request with the same key wait for the first to finish (PostgreSQL)."""
    if not _is_postgres(db):
        return
    digest = hashlib.sha256(f"{principal_id}:{key}".encode()).digest()
    lock_id = int.from_bytes(digest[:8], "big", signed=True)
    await db.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})


async def lock_session(db: AsyncSession, session_id: int) -> TourSession | None:
    query = select(TourSession).where(col(TourSession.id) == session_id)
    if _is_postgres(db):
        query = query.with_for_update()
    return (await db.execute(query.execution_options(populate_existing=True))).scalar_one_or_none()
