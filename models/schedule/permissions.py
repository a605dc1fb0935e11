"""Who may manage a tour and its sessions: staff of the center hosting it, or an admin."""

from __future__ import annotations

from models.errors import Forbidden
from models.tables import Principal, Tour


def check_manages(principal: Principal, tour: Tour, field: str = "tourId") -> None:
    """`field` names the input that chose the tour, for the error."""
    if principal.role == "ADMIN":
        return
    if principal.role != "CENTER_STAFF" or tour.center_id is None or principal.center_id != tour.center_id:
        raise Forbidden("only staff of the center hosting this tour, or the programme office, may manage it", field)
