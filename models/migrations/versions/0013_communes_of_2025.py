"""communes of 2025: the 126 units of the reform, the districts they came from, and placements

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "commune",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", _text(8), nullable=False, unique=True),
        sa.Column("slug", _text(80), nullable=False, unique=True),
        sa.Column("name", _text(120), nullable=False),
        sa.Column("full_name", _text(140), nullable=False),
        sa.Column("kind", _text(20), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("search_text", _text(300), nullable=False),
    )
    op.create_table(
        "commune_origin",
        sa.Column("commune_id", sa.Integer(), sa.ForeignKey("commune.id"), primary_key=True),
        sa.Column("district_id", sa.Integer(), sa.ForeignKey("district.id"), primary_key=True),
    )
    op.create_index("ix_commune_origin_district_id", "commune_origin", ["district_id"])
    for owner in ("village", "center"):
        op.create_table(
            f"{owner}_placement",
            sa.Column(f"{owner}_id", sa.Integer(), sa.ForeignKey(f"{owner}.id"), primary_key=True),
            sa.Column("commune_id", sa.Integer(), sa.ForeignKey("commune.id"), nullable=False),
            sa.Column("placed_by", _text(20), nullable=False),
        )
        op.create_index(f"ix_{owner}_placement_commune_id", f"{owner}_placement", ["commune_id"])


def downgrade() -> None:
    op.drop_table("center_placement")
    op.drop_table("village_placement")
    op.drop_table("commune_origin")
    op.drop_table("commune")
