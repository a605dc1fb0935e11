"""Query field `node`: any object by its global id."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.booking.queries import owned_booking_by_id
from models.tables import WebhookEndpoint as EndpointRow
from models.waitlist.entries import owned_entry_view
from models.webhooks.endpoints import owned_delivery
from resolvers.context import Context, Info
from resolvers.loaders import MissingRow
from schema.ids import decode_id
from schema.types.booking import Booking
from schema.types.center import Center
from schema.types.commune import Commune
from schema.types.node import Node
from schema.types.place import District
from schema.types.product import OcopProduct
from schema.types.session import Session
from schema.types.tour import Tour
from schema.types.village import CraftVillage
from schema.types.waitlist import WaitlistEntry
from schema.types.webhook import WebhookDelivery, WebhookEndpoint


async def _load_public(context: Context, type_name: str, pk: int) -> Node | None:
    loaders, now = context.loaders, context.now
    if type_name == "District":
        return District.from_row(await loaders.district.load(pk))
    if type_name == "Commune":
        return Commune.from_row(await loaders.commune.load(pk))
    if type_name == "CraftVillage":
        return CraftVillage.from_row(await loaders.village.load(pk))
    if type_name == "Center":
        return Center.from_row(await loaders.center.load(pk))
    if type_name == "Tour":
        return Tour.from_row(await loaders.tour.load(pk))
    if type_name == "Session":
        return Session.from_view(await loaders.session.load(pk), now)
    if type_name == "OcopProduct":
        return OcopProduct.from_row(await loaders.product.load(pk))
    return None


async def public_node(context: Context, type_name: str, pk: int) -> Node | None:
    """A public object by type and key; None if there is none (or the type is not public)."""
    try:
        return await _load_public(context, type_name, pk)
    except MissingRow:  # a well-formed id of an object that does not exist
        return None


async def _private_node(info: Info, type_name: str, pk: int) -> Node | None:
    """Objects only their owner may see by global id: others get null, as for a missing one."""
    context = info.context
    principal = context.principal
    if principal is None:
        return None
    async with context.sessions() as db:
        if type_name == "Booking":
            booking = await owned_booking_by_id(db, principal.pk, pk)
            return Booking.from_row(booking, context.now) if booking else None
        if type_name == "WebhookEndpoint":
            endpoint = await db.get(EndpointRow, pk)
            owned = endpoint is not None and endpoint.principal_id == principal.pk and endpoint.deleted_at is None
            return WebhookEndpoint.from_row(endpoint) if endpoint and owned else None
        if type_name == "WaitlistEntry":
            view = await owned_entry_view(db, principal.pk, pk, context.now)
            return WaitlistEntry.from_view(view) if view else None
        if type_name == "WebhookDelivery":
            delivery = await owned_delivery(db, principal.pk, pk)
            return WebhookDelivery.from_row(delivery) if delivery else None
    return None


async def node(
    info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="A global id.")]
) -> Node | None:
    decoded = decode_id(id)
    if decoded is None:
        return None
    type_name, pk = decoded
    return await public_node(info.context, type_name, pk) or await _private_node(info, type_name, pk)
