"""waiting lists: entries, their history, and a count of waiting entries on each session

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from models.timeutil import UTCDateTime

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.add_column("tour_session", sa.Column("waitlist_length", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "waitlist_entry",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("principal_id", sa.Integer(), sa.ForeignKey("principal.id"), nullable=False),
        sa.Column("session_id", sa.Integer(), sa.ForeignKey("tour_session.id"), nullable=False),
        sa.Column("status", _text(20), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("tickets", sa.JSON(), nullable=False),
        sa.Column("contact_name", _text(200), nullable=False),
        sa.Column("contact_phone", _text(40), nullable=True),
        sa.Column("contact_email", _text(254), nullable=True),
        sa.Column("offer_minutes", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", _text(200), nullable=False),
        sa.Column("request_hash", _text(64), nullable=False),
        sa.Column("offer_booking_id", sa.Integer(), sa.ForeignKey("booking.id"), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.CheckConstraint("seats > 0", name="ck_waitlist_entry_seats"),
        sa.UniqueConstraint("principal_id", "idempotency_key", name="uq_waitlist_entry_key"),
    )
    op.create_index("ix_waitlist_entry_session_status", "waitlist_entry", ["session_id", "status", "id"])
    op.create_index("ix_waitlist_entry_principal_created", "waitlist_entry", ["principal_id", "created_at"])
    op.create_index("ix_waitlist_entry_offer_booking_id", "waitlist_entry", ["offer_booking_id"])
    op.create_table(
        "waitlist_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("entry_id", sa.Integer(), sa.ForeignKey("waitlist_entry.id"), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("from_status", _text(20), nullable=True),
        sa.Column("to_status", _text(20), nullable=False),
        sa.Column("seats_free", sa.Integer(), nullable=False),
        sa.Column("reason", _text(200), nullable=True),
    )
    op.create_index("ix_waitlist_event_entry_id", "waitlist_event", ["entry_id"])


def downgrade() -> None:
    op.drop_table("waitlist_event")
    op.drop_table("waitlist_entry")
    with op.batch_alter_table("tour_session", schema=None) as batch_op:
        batch_op.drop_column("waitlist_length")
