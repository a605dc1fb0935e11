"""The audit log: every management change records who made it, when, to what, and what changed,
in the transaction of the change itself (so an entry exists exactly when its change committed)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.tables import AuditEntry, Principal

MAX_SUMMARY_LENGTH = 2000


def describe(changes: Mapping[str, object]) -> str:
    """A readable summary: `name: "Old" -> "New"; openedOn: 2026-12-01`."""
    parts = []
    for field, value in changes.items():
        if isinstance(value, tuple) and len(value) == 2:
            parts.append(f"{field}: {_show(value[0])} -> {_show(value[1])}")
        else:
            parts.append(f"{field}: {_show(value)}")
    summary = "; ".join(parts) or "no change"
    return summary if len(summary) <= MAX_SUMMARY_LENGTH else summary[: MAX_SUMMARY_LENGTH - 1] + "…"


def _show(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def record(
    db: AsyncSession, actor: Principal, action: str, subject_type: str, subject_id: int, summary: str, now: datetime
) -> None:
    db.add(
        AuditEntry(
            at=now,
            actor_id=actor.pk,
            actor_name=actor.name,
            actor_role=actor.role,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            summary=summary,
        )
    )


def _conditions(subject: tuple[str, int] | None) -> list[ColumnElement[bool]]:
    if subject is None:
        return []
    return [col(AuditEntry.subject_type) == subject[0], col(AuditEntry.subject_id) == subject[1]]


async def entries(db: AsyncSession, subject: tuple[str, int] | None, offset: int, limit: int) -> list[AuditEntry]:
    """Newest first, optionally of one subject (type name, id)."""
    query = (
        select(AuditEntry)
        .where(*_conditions(subject))
        .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return list((await db.execute(query)).scalars())


async def count_entries(db: AsyncSession, subject: tuple[str, int] | None) -> int:
    query = select(func.count()).select_from(AuditEntry).where(*_conditions(subject))
    return int((await db.execute(query)).scalar_one())
