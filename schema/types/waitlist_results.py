"""Results of the waiting-list mutations: a Success member or the UserErrors each can produce."""

from __future__ import annotations

import strawberry

from models.errors import IdempotencyConflict, InvalidInput, NotFound, SeatsAvailable, SessionClosed
from schema.types.user_errors import result_union
from schema.types.waitlist import WaitlistEntry


@strawberry.type(description="The group is on the waiting list.")
class JoinWaitlistSuccess:
    entry: WaitlistEntry = strawberry.field(description="The entry, status WAITING (or later, on a replay).")


@strawberry.type(description="The entry is out of the waiting list.")
class LeaveWaitlistSuccess:
    entry: WaitlistEntry = strawberry.field(
        description="The entry: LEFT, or as it was if it had already left the list (booked, expired or closed)."
    )


JoinWaitlistResult = result_union(
    "JoinWaitlistResult",
    "The entry, or why the group could not join.",
    JoinWaitlistSuccess,
    [InvalidInput, NotFound, SessionClosed, SeatsAvailable, IdempotencyConflict],
)
LeaveWaitlistResult = result_union(
    "LeaveWaitlistResult",
    "The entry, or why it could not be taken out.",
    LeaveWaitlistSuccess,
    [NotFound, InvalidInput],
)
