"""Webhook endpoints and their deliveries, visible only to the principal that owns them."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from models.tables import WebhookDelivery as DeliveryRow
from models.tables import WebhookEndpoint as EndpointRow
from models.webhooks.endpoints import count_deliveries, deliveries_of
from schema.arguments import After, First
from schema.ids import encode_id
from schema.pagination import Connection, connection, page_args
from schema.types.node import Node

if TYPE_CHECKING:
    from resolvers.context import Context

@strawberry.enum(description='What an event reports; on the wire its lower-case dotted form, e.g. "booking.confirmed".')
class WebhookEventType(Enum):
    BOOKING_HELD = strawberry.enum_value("BOOKING_HELD", description="Seats were held.")
    BOOKING_CONFIRMED = strawberry.enum_value("BOOKING_CONFIRMED", description="A booking was confirmed.")
    BOOKING_CANCELLED = strawberry.enum_value(
        "BOOKING_CANCELLED", description="A booking was cancelled (by its operator, or with its session)."
    )
    BOOKING_EXPIRED = strawberry.enum_value("BOOKING_EXPIRED", description="A hold lapsed; its seats are free.")
    SESSION_UPDATED = strawberry.enum_value("SESSION_UPDATED", description="A session's capacity or times changed.")
    SESSION_CANCELLED = strawberry.enum_value("SESSION_CANCELLED", description="A session was cancelled.")
    WAITLIST_OFFERED = strawberry.enum_value("WAITLIST_OFFERED", description="Seats were offered to a waiting entry.")
    WAITLIST_OFFER_EXPIRED = strawberry.enum_value(
        "WAITLIST_OFFER_EXPIRED", description="An offer to a waiting entry lapsed unconfirmed."
    )
    WAITLIST_CLOSED = strawberry.enum_value(
        "WAITLIST_CLOSED", description="A waiting entry closed: its session was cancelled or its booking closed."
    )


@strawberry.enum(description="Where a delivery stands.")
class WebhookDeliveryStatus(Enum):
    PENDING = strawberry.enum_value("PENDING", description="Not delivered yet; it is sent, or tried again, when due.")
    DELIVERED = strawberry.enum_value("DELIVERED", description="The receiver answered 2xx.")
    FAILED = strawberry.enum_value(
        "FAILED", description="Every retry failed, or the endpoint answered 410 Gone; redeliverWebhook sends it again."
    )


@strawberry.type(description="One event for one endpoint, with the state of its delivery.")
class WebhookDelivery(Node):
    row: strawberry.Private[DeliveryRow]
    message_id: str = strawberry.field(description="The webhook-id header, the same on every retry and redelivery.")
    event_type: WebhookEventType = strawberry.field(description="What the event reports.")
    status: WebhookDeliveryStatus = strawberry.field(description="Where the delivery stands.")
    attempts: int = strawberry.field(description="Attempts made so far.")
    last_status_code: int | None = strawberry.field(description="HTTP status of the last attempt; null if none came.")
    last_error: str | None = strawberry.field(description="Why the last attempt got no answer (timeout, refused).")
    next_attempt_at: datetime | None = strawberry.field(description="When it is tried next; null once it ended.")
    delivered_at: datetime | None = strawberry.field(description="When the receiver answered 2xx.")
    created_at: datetime = strawberry.field(description="When the event was written, with its change.")
    payload: str = strawberry.field(description="The JSON body sent, exactly as signed.")

    @classmethod
    def from_row(cls, row: DeliveryRow) -> WebhookDelivery:
        return cls(
            row=row,
            id=strawberry.ID(encode_id("WebhookDelivery", row.pk)),
            message_id=row.message_id,
            event_type=WebhookEventType[row.event_type],
            status=WebhookDeliveryStatus(row.status),
            attempts=row.attempts,
            last_status_code=row.last_status_code,
            last_error=row.last_error,
            next_attempt_at=row.next_attempt_at,
            delivered_at=row.delivered_at,
            created_at=row.created_at,
            payload=row.payload,
        )


@strawberry.type(description="Where Craftway sends your events, signed as Standard Webhooks describes.")
class WebhookEndpoint(Node):
    row: strawberry.Private[EndpointRow]
    url: str = strawberry.field(description="The receiver's URL (https).")
    events: list[WebhookEventType] = strawberry.field(description="The events it receives.")
    enabled: bool = strawberry.field(description="False once the receiver answered 410 Gone: nothing more is sent.")
    created_at: datetime = strawberry.field(description="When it was registered.")

    @classmethod
    def from_row(cls, row: EndpointRow) -> WebhookEndpoint:
        return cls(
            row=row,
            id=strawberry.ID(encode_id("WebhookEndpoint", row.pk)),
            url=row.url,
            events=[WebhookEventType[name] for name in row.events],
            enabled=row.enabled,
            created_at=row.created_at,
        )

    @strawberry.field(description="Its deliveries, newest first.")
    async def deliveries(
        self,
        info: strawberry.Info[Context, None],
        status: Annotated[
            WebhookDeliveryStatus | None, strawberry.argument(description="Only deliveries in this state.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[WebhookDelivery]:
        context = info.context
        wanted = status.name if status else None
        page = page_args(first, after)
        async with context.sessions() as db:
            rows = await deliveries_of(db, self.row.pk, wanted, page.offset, page.probe)

        async def count() -> int:
            async with context.sessions() as db:
                return await count_deliveries(db, self.row.pk, wanted)

        return connection([WebhookDelivery.from_row(r) for r in rows], page, count)
