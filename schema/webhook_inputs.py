"""Inputs of the webhook mutations."""

from __future__ import annotations

import strawberry

from schema.types.webhook import WebhookEventType


@strawberry.input(description="A new webhook endpoint.")
class CreateWebhookEndpointInput:
    url: str = strawberry.field(description="The receiver's https URL; it must resolve to public addresses.")
    events: list[WebhookEventType] = strawberry.field(description="The events to receive, at least one.")


@strawberry.input(description="One of your webhook endpoints.")
class WebhookEndpointInput:
    endpoint_id: strawberry.ID = strawberry.field(description="Global id of the endpoint.")


@strawberry.input(description="A delivery to send again.")
class RedeliverWebhookInput:
    delivery_id: strawberry.ID = strawberry.field(description="Global id of a DELIVERED or FAILED delivery.")
