"""Who may call what. Failures are top-level errors: UNAUTHENTICATED or FORBIDDEN."""

from __future__ import annotations

from typing import Any

import strawberry

from models.tables import Principal
from schema.errors import ApiError, forbidden, unauthenticated


def require_role(context: Any, role: str) -> Principal:
    """The caller's principal if it has `role`; `context` is the request's resolvers.context.Context."""
    if context.principal is None:
        if context.bad_token:
            raise ApiError("The bearer token is unknown or revoked.", "UNAUTHENTICATED")
        raise unauthenticated()
    if context.principal.role != role:
        raise forbidden(f"Only a token with role {role} may do this.")
    principal: Principal = context.principal
    return principal


def require_operator(info: strawberry.Info) -> Principal:
    return require_role(info.context, "OPERATOR")
