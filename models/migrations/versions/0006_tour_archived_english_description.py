"""tour archived flag, English description

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, done in place on SQLite too (see 0005).
    op.add_column("tour", sa.Column("description_en", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.add_column("tour", sa.Column("archived", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("tour", schema=None) as batch_op:
        batch_op.drop_column("archived")
        batch_op.drop_column("description_en")
