"""Coverage goals of city plans, as data rows rather than code."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class CoverageGoal(SQLModel, table=True):
    """One target of a plan for one year.

    metric: NEW_SHOWROOMS (opened during the year) or DESIGN_CENTERS (operating at its end).
    scope: DISTRICT (each unit named by `unit_kinds`/`unit_codes` must meet it) or CITY (the total).
    """

    __tablename__ = "coverage_goal"

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    metric: str = Field(max_length=40)
    scope: str = Field(max_length=20)
    unit_kinds: str = Field(default="", max_length=200)  # comma-separated district kinds
    unit_codes: str = Field(default="", max_length=500)  # comma-separated district codes
    min_count: int | None = None
    max_count: int | None = None
    source: str | None = Field(default=None, max_length=500)

    def applies_to(self, code: str, kind: str) -> bool:
        return code in self.unit_codes.split(",") or kind in self.unit_kinds.split(",")
