"""Webhook mutations (operators and center staff, own endpoints only) and Viewer.webhookEndpoints."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.tables import Principal
from models.webhooks import endpoints
from models.webhooks.setup import WebhookSetup
from resolvers.context import Context, Info
from resolvers.mutation import mutation
from schema.errors import ApiError
from schema.ids import decode_id_of, encode_id
from schema.permissions import require_role
from schema.types.webhook import WebhookDelivery, WebhookEndpoint
from schema.types.webhook_results import (
    CreateWebhookEndpointSuccess,
    DeleteWebhookEndpointSuccess,
    RedeliverWebhookSuccess,
    RotateWebhookSecretSuccess,
)
from schema.webhook_inputs import CreateWebhookEndpointInput, RedeliverWebhookInput, WebhookEndpointInput


def _owner(context: Context) -> tuple[Principal, WebhookSetup]:
    owner = require_role(context, *endpoints.OWNER_ROLES)
    if context.webhooks is None:
        raise ApiError("Webhooks are not configured on this server.", "INTERNAL_SERVER_ERROR")
    return owner, context.webhooks


@mutation
async def create_webhook_endpoint(
    info: Info, input: Annotated[CreateWebhookEndpointInput, strawberry.argument(description="Where and what.")]
) -> CreateWebhookEndpointSuccess:
    context = info.context
    owner, setup = _owner(context)
    made = await endpoints.create_endpoint(
        context.sessions,
        owner,
        input.url,
        [event.name for event in input.events],
        context.now,
        setup.key,
        setup.sender.allow_private,
    )
    return CreateWebhookEndpointSuccess(endpoint=WebhookEndpoint.from_row(made.endpoint), secret=made.secret)


@mutation
async def rotate_webhook_secret(
    info: Info, input: Annotated[WebhookEndpointInput, strawberry.argument(description="Which endpoint.")]
) -> RotateWebhookSecretSuccess:
    context = info.context
    owner, setup = _owner(context)
    endpoint_id = decode_id_of(input.endpoint_id, "WebhookEndpoint", "endpointId")
    made = await endpoints.rotate_secret(context.sessions, owner, endpoint_id, context.now, setup.key)
    return RotateWebhookSecretSuccess(endpoint=WebhookEndpoint.from_row(made.endpoint), secret=made.secret)


@mutation
async def delete_webhook_endpoint(
    info: Info, input: Annotated[WebhookEndpointInput, strawberry.argument(description="Which endpoint.")]
) -> DeleteWebhookEndpointSuccess:
    context = info.context
    owner, _setup = _owner(context)
    endpoint_id = decode_id_of(input.endpoint_id, "WebhookEndpoint", "endpointId")
    await endpoints.delete_endpoint(context.sessions, owner, endpoint_id, context.now)
    return DeleteWebhookEndpointSuccess(endpoint_id=strawberry.ID(encode_id("WebhookEndpoint", endpoint_id)))


@mutation
async def redeliver_webhook(
    info: Info, input: Annotated[RedeliverWebhookInput, strawberry.argument(description="Which delivery.")]
) -> RedeliverWebhookSuccess:
    context = info.context
    owner, _setup = _owner(context)
    delivery_id = decode_id_of(input.delivery_id, "WebhookDelivery", "deliveryId")
    again = await endpoints.redeliver(context.sessions, owner, delivery_id, context.now)
    return RedeliverWebhookSuccess(delivery=WebhookDelivery.from_row(again))

