"""Pages per owner in one statement: the rows of many villages, centers or products at once,
each owner's numbered by a window function and cut to [offset, offset + limit)."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import Subquery, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

Row = TypeVar("Row", bound=SQLModel)


async def pages_per_owner(
    db: AsyncSession, numbered: Subquery, model: type[Row], offset: int, limit: int
) -> dict[int, list[Row]]:
    """`numbered` has columns owner, item (the id of a `model` row) and n (its 1-based place)."""
    query = (
        select(numbered.c.owner, model)
        .join(model, sa_inspect(model).columns["id"] == numbered.c.item)
        .where(numbered.c.n > offset, numbered.c.n <= offset + limit)
        .order_by(numbered.c.owner, numbered.c.n)
    )
    pages: dict[int, list[Row]] = {}
    for owner, row in await db.execute(query):
        pages.setdefault(owner, []).append(row)
    return pages
