"""Who may manage a tour's sessions: staff of the center hosting it, or an admin."""

from __future__ import annotations

from models.errors import Forbidden
from models.tables import Principal, Tour


def check_manages(principal: Principal, tour: Tour) -> None:
    if principal.role == "ADMIN":
        return
    if principal.role != "CENTER_STAFF" or tour.center_id is None or principal.center_id != tour.center_id:
        raise Forbidden("only staff of the center hosting this tour may manage its sessions", None)
