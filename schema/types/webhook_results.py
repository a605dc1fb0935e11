"""Results of the webhook mutations."""

from __future__ import annotations

import strawberry

from models.errors import InvalidInput, NotFound
from schema.types.user_errors import result_union
from schema.types.webhook import WebhookDelivery, WebhookEndpoint


@strawberry.type(description="The endpoint is registered; keep its secret, it is shown only now.")
class CreateWebhookEndpointSuccess:
    endpoint: WebhookEndpoint = strawberry.field(description="The new endpoint.")
    secret: str = strawberry.field(description='Signing secret, "whsec_..." (Standard Webhooks); shown once.')


@strawberry.type(description="A new secret signs from now on; for 24 hours the old one signs too.")
class RotateWebhookSecretSuccess:
    endpoint: WebhookEndpoint = strawberry.field(description="The endpoint.")
    secret: str = strawberry.field(description="The new signing secret; shown once.")


@strawberry.type(description="The endpoint and its deliveries are gone.")
class DeleteWebhookEndpointSuccess:
    endpoint_id: strawberry.ID = strawberry.field(description="Global id of the deleted endpoint.")


@strawberry.type(description="The message is queued again, with its original webhook-id and body.")
class RedeliverWebhookSuccess:
    delivery: WebhookDelivery = strawberry.field(description="The new delivery, PENDING.")


CreateWebhookEndpointResult = result_union(
    "CreateWebhookEndpointResult",
    "The endpoint and its secret, or why it could not be registered.",
    CreateWebhookEndpointSuccess,
    [InvalidInput],
)
RotateWebhookSecretResult = result_union(
    "RotateWebhookSecretResult",
    "The new secret, or why it could not be made.",
    RotateWebhookSecretSuccess,
    [NotFound, InvalidInput],
)
DeleteWebhookEndpointResult = result_union(
    "DeleteWebhookEndpointResult",
    "The deleted endpoint's id, or why it could not be deleted.",
    DeleteWebhookEndpointSuccess,
    [NotFound, InvalidInput],
)
RedeliverWebhookResult = result_union(
    "RedeliverWebhookResult",
    "The new delivery, or why the message could not be sent again.",
    RedeliverWebhookSuccess,
    [NotFound, InvalidInput],
)
