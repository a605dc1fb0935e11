"""village English description; seeded descriptions are English

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("village", sa.Column("description_en", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    # The seed's village and sample-tour descriptions are written in English: say so.
    op.execute("UPDATE village SET description_en = description, description = NULL WHERE description_en IS NULL")
    op.execute(
        "UPDATE tour SET description_en = description, description = NULL "
        "WHERE sample = true AND description_en IS NULL"
    )


def downgrade() -> None:
    op.execute("UPDATE tour SET description = description_en WHERE sample = true AND description IS NULL")
    op.execute("UPDATE village SET description = description_en WHERE description IS NULL")
    with op.batch_alter_table("village", schema=None) as batch_op:
        batch_op.drop_column("description_en")
