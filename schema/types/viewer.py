"""The caller, as the API sees it."""

from __future__ import annotations

import strawberry

from schema.types.enums import Role


@strawberry.type(description="Who is calling, and what is theirs.")
class Viewer:
    role: Role = strawberry.field(description="The caller's role; ANONYMOUS without a token.")
    name: str | None = strawberry.field(description="Name of the operator, center staff or admin.")
