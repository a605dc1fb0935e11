"""Entries of the audit log of management changes."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models.tables import AuditEntry as AuditRow
from schema.ids import encode_id
from schema.types.enums import Role


@strawberry.type(description="One management change: who made it, when, to what, and what changed.")
class AuditEntry:
    at: datetime = strawberry.field(description="When the change was committed.")
    actor_name: str = strawberry.field(description="Name of the admin or center staff who made it.")
    actor_role: Role = strawberry.field(description="Their role.")
    action: str = strawberry.field(description="The mutation, e.g. registerCenter.")
    subject_id: strawberry.ID = strawberry.field(description="Global id of the object changed.")
    summary: str = strawberry.field(description="What changed, readable: field: old -> new.")

    @classmethod
    def from_row(cls, row: AuditRow) -> AuditEntry:
        return cls(
            at=row.at,
            actor_name=row.actor_name,
            actor_role=Role(row.actor_role),
            action=row.action,
            subject_id=strawberry.ID(encode_id(row.subject_type, row.subject_id)),
            summary=row.summary,
        )
