"""Mutations on centers (the programme office and center staff) and the audit log."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models import audit
from models.network import centers
from resolvers.context import Info
from resolvers.mutation import mutation
from schema.arguments import After, First
from schema.ids import decode_id, decode_id_of
from schema.network_inputs import GeoPointInput, RegisterCenterInput, UpdateCenterInput
from schema.pagination import Connection, connection, page_args
from schema.permissions import require_role
from schema.types.audit import AuditEntry
from schema.types.center import Center
from schema.types.network_results import RegisterCenterSuccess, UpdateCenterSuccess


def _point(location: GeoPointInput | None) -> centers.Point | None:
    return centers.Point(location.lat, location.lon) if location else None


@mutation
async def register_center(
    info: Info, input: Annotated[RegisterCenterInput, strawberry.argument(description="The new center.")]
) -> RegisterCenterSuccess:
    context = info.context
    admin = require_role(context, "ADMIN")
    data = centers.NewCenter(
        kind=input.kind.name,
        name=input.name,
        district_slug=input.district_slug,
        village_slug=input.village_slug,
        commune_slug=input.commune_slug,
        address=input.address,
        location=_point(input.location),
        opened_on=input.opened_on,
    )
    return RegisterCenterSuccess(
        center=Center.from_row(await centers.register_center(context.sessions, admin, data, context.now))
    )


@mutation
async def update_center(
    info: Info, input: Annotated[UpdateCenterInput, strawberry.argument(description="What to change.")]
) -> UpdateCenterSuccess:
    context = info.context
    principal = require_role(context, "ADMIN", "CENTER_STAFF")
    changes = centers.CenterChanges(
        name=input.name,
        address=input.address,
        location=_point(input.location),
        opened_on=input.opened_on,
        closed_on=input.closed_on,
    )
    center_id = decode_id_of(input.center_id, "Center", "centerId")
    row = await centers.update_center(context.sessions, principal, center_id, changes, context.now)
    return UpdateCenterSuccess(center=Center.from_row(row))


async def audit_log(
    info: Info,
    subject_id: Annotated[
        strawberry.ID | None, strawberry.argument(description="Only changes to this object (a global id).")
    ] = None,
    first: First = None,
    after: After = None,
) -> Connection[AuditEntry]:
    context = info.context
    require_role(context, "ADMIN")
    page = page_args(first, after)
    subject = decode_id(subject_id) if subject_id is not None else None
    if subject_id is not None and subject is None:
        return connection([], page, _no_entries)
    async with context.sessions() as db:
        rows = await audit.entries(db, subject, page.offset, page.probe)

    async def count() -> int:
        async with context.sessions() as db:
            return await audit.count_entries(db, subject)

    return connection([AuditEntry.from_row(r) for r in rows], page, count)


async def _no_entries() -> int:
    return 0
