"""Query field `viewer`."""

from __future__ import annotations

from resolvers.context import Info
from schema.types.enums import Role
from schema.types.viewer import Viewer


def viewer(info: Info) -> Viewer:
    principal = info.context.principal
    if principal is None:
        return Viewer(role=Role.ANONYMOUS, name=None)
    return Viewer(role=Role(principal.role), name=principal.name)
