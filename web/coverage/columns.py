"""The columns of the coverage table, shared by the page and the CSV so they never disagree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from models.coverage import UnitCoverage
from models.tables import Commune, District

Cell = str | int | bool | None  # None: no requirement applies

KIND_LABELS = {
    "URBAN_DISTRICT": "Urban district",
    "RURAL_DISTRICT": "Rural district",
    "TOWN": "Town",
    "WARD": "Ward",
    "COMMUNE": "Commune",
}
GoalStatus = Literal["MET", "NOT_MET", "NOT_REQUIRED"]  # as UnitCoverage.goal_status
STATUS_LABELS: dict[GoalStatus, str] = {"MET": "met", "NOT_MET": "not met", "NOT_REQUIRED": "not required"}


def unit_name(unit: District | Commune) -> str:
    return unit.full_name if isinstance(unit, Commune) else unit.name


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    value: Callable[[UnitCoverage], Cell]
    numeric: bool = False
    names_row: bool = False  # the row's header cell, in Vietnamese


COLUMNS: tuple[Column, ...] = (
    Column("Code", lambda r: r.unit.code),
    Column("Name", lambda r: unit_name(r.unit), names_row=True),
    Column("Kind", lambda r: KIND_LABELS.get(r.unit.kind, r.unit.kind)),
    Column("Showrooms", lambda r: r.showrooms, numeric=True),
    Column("New showrooms", lambda r: r.new_showrooms, numeric=True),
    Column("New showrooms required", lambda r: r.new_showrooms_required, numeric=True),
    Column("Design centers", lambda r: r.design_centers, numeric=True),
    Column("Design center required", lambda r: r.design_center_required),
    Column("Villages", lambda r: r.villages, numeric=True),
    Column("Tours", lambda r: r.tours, numeric=True),
    Column("Status", lambda r: STATUS_LABELS[r.goal_status]),
)


def cell_text(value: Cell, none: str) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return none if value is None else str(value)
