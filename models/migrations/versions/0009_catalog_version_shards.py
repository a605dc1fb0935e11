"""catalog version in shards, so bookings of different sessions do not queue on one row

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHARDS = 64  # models/catalog_version.SHARDS when this revision was written


def upgrade() -> None:
    catalog_version = sa.table("catalog_version", sa.column("id", sa.Integer), sa.column("version", sa.Integer))
    op.bulk_insert(catalog_version, [{"id": shard, "version": 0} for shard in range(2, SHARDS + 1)])


def downgrade() -> None:
    op.execute("UPDATE catalog_version SET version = (SELECT sum(version) FROM catalog_version) WHERE id = 1")
    op.execute("DELETE FROM catalog_version WHERE id > 1")
