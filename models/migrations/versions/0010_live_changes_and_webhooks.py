"""live changes and webhooks: a change counter on sessions, an index for the hold-expiry sweep,
webhook endpoints and their deliveries

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from models.timeutil import UTCDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.add_column("tour_session", sa.Column("version", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_booking_status_hold_expires", "booking", ["status", "hold_expires_at"])
    op.create_table(
        "webhook_endpoint",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("principal_id", sa.Integer(), sa.ForeignKey("principal.id"), nullable=False),
        sa.Column("url", _text(2000), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("disabled_reason", _text(200), nullable=True),
        sa.Column("secret", _text(200), nullable=False),
        sa.Column("previous_secret", _text(200), nullable=True),
        sa.Column("previous_secret_until", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_webhook_endpoint_principal_id", "webhook_endpoint", ["principal_id"])
    op.create_table(
        "webhook_delivery",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("endpoint_id", sa.Integer(), sa.ForeignKey("webhook_endpoint.id"), nullable=False),
        sa.Column("message_id", _text(64), nullable=False),
        sa.Column("event_type", _text(40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", _text(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", _text(500), nullable=True),
        sa.Column("delivered_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("lease_owner", _text(32), nullable=True),
        sa.Column("lease_until", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_webhook_delivery_due", "webhook_delivery", ["status", "next_attempt_at"])
    op.create_index("ix_webhook_delivery_endpoint", "webhook_delivery", ["endpoint_id", "id"])


def downgrade() -> None:
    op.drop_table("webhook_delivery")
    op.drop_table("webhook_endpoint")
    op.drop_index("ix_booking_status_hold_expires", table_name="booking")
    with op.batch_alter_table("tour_session", schema=None) as batch_op:
        batch_op.drop_column("version")
