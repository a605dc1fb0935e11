"""createWebhookEndpoint, rotateWebhookSecret, deleteWebhookEndpoint and redeliverWebhook, and
the reads of an owner's endpoints and deliveries. Endpoints belong to one principal (an operator
or a center's staff): another principal's endpoint or delivery reads as NOT_FOUND."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.booking.locking import begin_write
from models.db import SessionFactory
from models.errors import InvalidInput, NotFound
from models.tables import Principal, WebhookDelivery, WebhookEndpoint
from models.webhooks.addresses import check_public, check_url_form
from models.webhooks.secrets import ServerKey, new_secret

EVENT_TYPES = (
    "BOOKING_HELD",
    "BOOKING_CONFIRMED",
    "BOOKING_CANCELLED",
    "BOOKING_EXPIRED",
    "SESSION_UPDATED",
    "SESSION_CANCELLED",
    "WAITLIST_OFFERED",
    "WAITLIST_OFFER_EXPIRED",
    "WAITLIST_CLOSED",
)
OWNER_ROLES = ("OPERATOR", "CENTER_STAFF")  # who may have endpoints
MAX_ENDPOINTS = 20  # per principal
# After a rotation the old secret keeps signing this long, so receivers can switch over.
ROTATION_OVERLAP = timedelta(hours=24)


@dataclass(frozen=True)
class WithSecret:
    endpoint: WebhookEndpoint
    secret: str  # shown once


def _events(events: list[str]) -> list[str]:
    chosen = list(dict.fromkeys(events))
    if not chosen:
        raise InvalidInput("events: choose at least one event type", "events")
    unknown = [e for e in chosen if e not in EVENT_TYPES]
    if unknown:
        raise InvalidInput(f"events: unknown event type {unknown[0]}", "events")
    return chosen


async def create_endpoint(
    sessions: SessionFactory,
    owner: Principal,
    url: str,
    events: list[str],
    now: datetime,
    key: ServerKey,
    allow_private: bool,
) -> WithSecret:
    url = check_url_form(url, allow_private)
    chosen = _events(events)
    await check_public(url, allow_private)
    async with sessions() as db:
        await begin_write(db)
        count = (
            await db.execute(
                select(func.count())
                .select_from(WebhookEndpoint)
                .where(col(WebhookEndpoint.principal_id) == owner.pk, col(WebhookEndpoint.deleted_at).is_(None))
            )
        ).scalar_one()
        if count >= MAX_ENDPOINTS:
            raise InvalidInput(f"at most {MAX_ENDPOINTS} webhook endpoints each; delete one first", "url")
        secret = new_secret()
        endpoint = WebhookEndpoint(
            principal_id=owner.pk, url=url, events=chosen, secret=key.seal(secret), created_at=now
        )
        db.add(endpoint)
        await db.commit()
        return WithSecret(endpoint, secret)


async def _owned(db: AsyncSession, owner: Principal, endpoint_id: int) -> WebhookEndpoint:
    """The owner's endpoint, locked for this write transaction (two rotations never cross)."""
    await begin_write(db)
    endpoint = await db.get(WebhookEndpoint, endpoint_id, with_for_update=_is_postgres(db))
    if endpoint is None or endpoint.principal_id != owner.pk or endpoint.deleted_at is not None:
        raise NotFound("no webhook endpoint with this id", "endpointId")
    return endpoint


def _is_postgres(db: AsyncSession) -> bool:
    return db.get_bind().dialect.name == "postgresql"


async def rotate_secret(
    sessions: SessionFactory, owner: Principal, endpoint_id: int, now: datetime, key: ServerKey
) -> WithSecret:
    async with sessions() as db:
        endpoint = await _owned(db, owner, endpoint_id)
        secret = new_secret()
        endpoint.previous_secret, endpoint.previous_secret_until = endpoint.secret, now + ROTATION_OVERLAP
        endpoint.secret = key.seal(secret)
        await db.commit()
        return WithSecret(endpoint, secret)


async def delete_endpoint(sessions: SessionFactory, owner: Principal, endpoint_id: int, now: datetime) -> None:
    """Nothing more is sent to it and it is gone from every read; its pending deliveries end."""
    async with sessions() as db:
        endpoint = await _owned(db, owner, endpoint_id)
        endpoint.deleted_at, endpoint.enabled, endpoint.disabled_reason = now, False, "deleted by its owner"
        await db.execute(
            update(WebhookDelivery)
            .where(col(WebhookDelivery.endpoint_id) == endpoint.pk, col(WebhookDelivery.status) == "PENDING")
            .values(status="FAILED", next_attempt_at=None, last_error="endpoint deleted")
        )
        await db.commit()


async def redeliver(sessions: SessionFactory, owner: Principal, delivery_id: int, now: datetime) -> WebhookDelivery:
    """Send a delivered or failed message again: a new delivery with the same webhook-id and body."""
    async with sessions() as db:
        await begin_write(db)
        earlier = await db.get(WebhookDelivery, delivery_id)
        endpoint = None if earlier is None else await db.get(WebhookEndpoint, earlier.endpoint_id)
        if earlier is None or endpoint is None or endpoint.principal_id != owner.pk or endpoint.deleted_at:
            raise NotFound("no webhook delivery with this id", "deliveryId")
        if earlier.status == "PENDING":
            raise InvalidInput("this delivery is still pending; it will be retried", "deliveryId")
        if not endpoint.enabled:
            raise InvalidInput(f"the endpoint is disabled ({endpoint.disabled_reason})", "deliveryId")
        again = WebhookDelivery(
            endpoint_id=endpoint.pk,
            message_id=earlier.message_id,
            event_type=earlier.event_type,
            payload=earlier.payload,
            next_attempt_at=now,
            created_at=now,
        )
        db.add(again)
        await db.commit()
        return again


async def endpoints_of(db: AsyncSession, owner_id: int) -> list[WebhookEndpoint]:
    query = select(WebhookEndpoint).where(
        col(WebhookEndpoint.principal_id) == owner_id, col(WebhookEndpoint.deleted_at).is_(None)
    )
    query = query.order_by(col(WebhookEndpoint.id))
    return list((await db.execute(query)).scalars())


def _deliveries(endpoint_id: int, status: str | None) -> list[ColumnElement[bool]]:
    conditions = [col(WebhookDelivery.endpoint_id) == endpoint_id]
    if status is not None:
        conditions.append(col(WebhookDelivery.status) == status)
    return conditions


async def deliveries_of(
    db: AsyncSession, endpoint_id: int, status: str | None, offset: int, limit: int
) -> list[WebhookDelivery]:
    """Newest first."""
    query = (
        select(WebhookDelivery)
        .where(*_deliveries(endpoint_id, status))
        .order_by(col(WebhookDelivery.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return list((await db.execute(query)).scalars())


async def count_deliveries(db: AsyncSession, endpoint_id: int, status: str | None) -> int:
    query = select(func.count()).select_from(WebhookDelivery).where(*_deliveries(endpoint_id, status))
    return int((await db.execute(query)).scalar_one())


async def owned_delivery(db: AsyncSession, owner_id: int, delivery_id: int) -> WebhookDelivery | None:
    query = (
        select(WebhookDelivery)
        .join(WebhookEndpoint, col(WebhookEndpoint.id) == col(WebhookDelivery.endpoint_id))
        .where(
            col(WebhookDelivery.id) == delivery_id,
            col(WebhookEndpoint.principal_id) == owner_id,
            col(WebhookEndpoint.deleted_at).is_(None),
        )
    )
    return (await db.execute(query)).scalar_one_or_none()

