"""Webhook endpoints of operators and center staff, and the outbox of deliveries to them.

A delivery row is written in the transaction of the change it reports (models/live/emit.py),
so a delivery exists exactly when its change committed; the worker (models/webhooks/worker.py)
then sends it until a 2xx answer, keeping its `message_id` (the webhook-id header) on every try.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from models.tables.stored import Stored
from models.timeutil import UTCDateTime

MAX_URL_LENGTH = 2000


class WebhookEndpoint(Stored, SQLModel, table=True):
    """Where a principal wants events sent. The signing secret is stored encrypted with the
    server's key (models/webhooks/secrets.py): reading the database is not enough to sign."""

    __tablename__ = "webhook_endpoint"

    id: int | None = Field(default=None, primary_key=True)
    principal_id: int = Field(foreign_key="principal.id", index=True)
    url: str = Field(max_length=MAX_URL_LENGTH)
    events: list[str] = Field(sa_column=Column(JSON, nullable=False))  # WebhookEventType names
    enabled: bool = True
    disabled_reason: str | None = Field(default=None, max_length=200)
    secret: str = Field(max_length=200)  # encrypted
    # After a rotation the old secret signs too, until this moment (receivers switch over).
    previous_secret: str | None = Field(default=None, max_length=200)
    previous_secret_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # Deleted endpoints stay as rows (disabled), so a booking's transaction that is writing a
    # delivery for one never meets a missing row; every read leaves them out.
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class WebhookDelivery(Stored, SQLModel, table=True):
    """One event for one endpoint, with the state of its delivery."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        Index("ix_webhook_delivery_due", "status", "next_attempt_at"),
        Index("ix_webhook_delivery_endpoint", "endpoint_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    endpoint_id: int = Field(foreign_key="webhook_endpoint.id")
    message_id: str = Field(max_length=64)
    event_type: str = Field(max_length=40)  # WebhookEventType name
    payload: str = Field(sa_column=Column(Text, nullable=False))  # the exact JSON body sent
    status: str = Field(default="PENDING", max_length=20)  # PENDING, DELIVERED, FAILED
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    last_status_code: int | None = None
    last_error: str | None = Field(default=None, max_length=500)
    delivered_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # A worker that claims the delivery owns it until `lease_until`: one sender at a time.
    lease_owner: str | None = Field(default=None, max_length=32)
    lease_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
