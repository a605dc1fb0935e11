"""octo bookings: the reseller's uuid, reference, notes and unit items of bookings made over OCTO

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from models.timeutil import UTCDateTime

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "octo_booking",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("principal_id", sa.Integer(), sa.ForeignKey("principal.id"), nullable=False),
        sa.Column("uuid", _text(64), nullable=False),
        sa.Column("booking_id", sa.Integer(), sa.ForeignKey("booking.id"), nullable=False),
        sa.Column("body_hash", _text(64), nullable=False),
        sa.Column("reseller_reference", _text(200), nullable=True),
        sa.Column("notes", _text(1000), nullable=True),
        sa.Column("unit_items", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("principal_id", "uuid", name="uq_octo_booking_uuid"),
        sa.UniqueConstraint("booking_id"),
    )
    op.create_index("ix_octo_booking_reseller_reference", "octo_booking", ["reseller_reference"])


def downgrade() -> None:
    op.drop_table("octo_booking")
