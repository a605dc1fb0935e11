"""OCOP products in the API: slug, product group, certification day, confidence, search text

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from models.network.slugs import product_search_text, unique_slug_in

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, done in place on SQLite too (see 0005); the slug starts empty and is
    # filled below, then made unique by an index.
    op.add_column(
        "product",
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False, server_default=""),
    )
    op.add_column("product", sa.Column("product_group", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True))
    op.add_column("product", sa.Column("certified_on", sa.Date(), nullable=True))
    op.add_column(
        "product",
        sa.Column("confidence", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False, server_default="reported"),
    )
    op.add_column(
        "product",
        sa.Column("search_text", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False, server_default=""),
    )
    # Products stored before this revision get their slug and search text here.
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT p.id, p.name, p.producer, v.name FROM product p LEFT JOIN village v ON v.id = p.village_id "
            "ORDER BY p.id"
        )
    ).all()
    taken: set[str] = set()
    for product_id, name, producer, village in rows:
        bind.execute(
            sa.text("UPDATE product SET slug = :slug, search_text = :text WHERE id = :id"),
            {
                "slug": unique_slug_in(taken, name, "product"),
                "text": product_search_text(name, producer, village),
                "id": product_id,
            },
        )
    op.create_index("uq_product_slug", "product", ["slug"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_product_slug", table_name="product")
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_column("search_text")
        batch_op.drop_column("confidence")
        batch_op.drop_column("certified_on")
        batch_op.drop_column("product_group")
        batch_op.drop_column("slug")
