"""Waiting-list mutations (operators, own entries) and the operator's read of its entries."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.booking.requests import Contact, TicketLine
from models.errors import NotFound
from models.waitlist import operations
from models.waitlist.entries import owned_entry_view
from models.waitlist.requests import waitlist_request
from resolvers.context import Context, Info
from resolvers.mutation import mutation
from schema.ids import decode_id_of
from schema.permissions import require_operator
from schema.types.waitlist import WaitlistEntry
from schema.types.waitlist_results import JoinWaitlistSuccess, LeaveWaitlistSuccess
from schema.waitlist_inputs import JoinWaitlistInput, LeaveWaitlistInput


async def entry_of(context: Context, principal_id: int, entry_id: int) -> WaitlistEntry | None:
    async with context.sessions() as db:
        view = await owned_entry_view(db, principal_id, entry_id, context.now)
    return WaitlistEntry.from_view(view) if view else None


async def _read_back(context: Context, principal_id: int, entry_id: int) -> WaitlistEntry:
    entry = await entry_of(context, principal_id, entry_id)
    if entry is None:
        raise NotFound("no waiting-list entry with this id", "entryId")
    return entry


@mutation
async def join_waitlist(
    info: Info, input: Annotated[JoinWaitlistInput, strawberry.argument(description="Who waits for what.")]
) -> JoinWaitlistSuccess:
    context = info.context
    operator = require_operator(context)
    request = waitlist_request(
        decode_id_of(input.session_id, "Session", "sessionId"),
        [TicketLine(t.category, t.quantity) for t in input.tickets],
        Contact(input.contact.name, input.contact.phone, input.contact.email),
        input.idempotency_key,
        input.offer_minutes,
    )
    row = await operations.join_waitlist(context.sessions, operator, request, context.now)
    return JoinWaitlistSuccess(entry=await _read_back(context, operator.pk, row.pk))


@mutation
async def leave_waitlist(
    info: Info, input: Annotated[LeaveWaitlistInput, strawberry.argument(description="Which entry.")]
) -> LeaveWaitlistSuccess:
    context = info.context
    operator = require_operator(context)
    entry_id = decode_id_of(input.entry_id, "WaitlistEntry", "entryId")
    row = await operations.leave_waitlist(context.sessions, operator, entry_id, context.now)
    return LeaveWaitlistSuccess(entry=await _read_back(context, operator.pk, row.pk))
