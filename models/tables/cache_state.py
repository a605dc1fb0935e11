"""What read caches check before trusting an entry, shared by every server process."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class CatalogVersion(SQLModel, table=True):
    """Counters whose sum, the catalogue version, rises in every transaction that changes public
    data (seats, sessions); one row per shard of sessions (models/catalog_version.py). A cached
    response is served only under the version it was computed at."""

    __tablename__ = "catalog_version"

    id: int = Field(default=1, primary_key=True)
    version: int = 0
