"""Query field `node`: any object by its global id."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.ids import decode_id
from schema.types.center import Center
from schema.types.node import Node
from schema.types.place import District
from schema.types.session import Session
from schema.types.tour import Tour
from schema.types.village import CraftVillage


async def node(
    info: strawberry.Info, id: Annotated[strawberry.ID, strawberry.argument(description="A global id.")]
) -> Node | None:
    decoded = decode_id(id)
    if decoded is None:
        return None
    type_name, pk = decoded
    loaders = info.context.loaders
    if type_name == "District":
        row = await loaders.district.load(pk)
        return District.from_row(row) if row else None
    if type_name == "CraftVillage":
        row = await loaders.village.load(pk)
        return CraftVillage.from_row(row) if row else None
    if type_name == "Center":
        row = await loaders.center.load(pk)
        return Center.from_row(row) if row else None
    if type_name == "Tour":
        row = await loaders.tour.load(pk)
        return Tour.from_row(row) if row else None
    if type_name == "Session":
        view = await loaders.session.load(pk)
        return Session.from_view(view, info.context.now) if view else None
    return await info.context.private_node(type_name, pk)
