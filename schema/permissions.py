"""Who may call what. Failures are top-level errors: UNAUTHENTICATED or FORBIDDEN. Which object
a caller may act on (another center's tour) is the domain's rule, reported as a UserError."""

from __future__ import annotations

from typing import TYPE_CHECKING

from models.tables import Principal
from schema.errors import ApiError, forbidden, unauthenticated

if TYPE_CHECKING:
    from resolvers.context import Context


def require_role(context: Context, *roles: str) -> Principal:
    """The caller's principal if it has one of `roles`."""
    principal = context.principal
    if principal is None:
        if context.bad_token:
            raise ApiError("The bearer token is unknown or revoked.", "UNAUTHENTICATED")
        raise unauthenticated()
    if principal.role not in roles:
        raise forbidden(f"Only a token with role {' or '.join(roles)} may do this.")
    return principal


def require_operator(context: Context) -> Principal:
    return require_role(context, "OPERATOR")


def require_center_staff(context: Context) -> Principal:
    """Center staff, or an admin acting for any center."""
    return require_role(context, "CENTER_STAFF", "ADMIN")
