"""The plan's coverage per district or per 2025 commune, for city planners."""

from __future__ import annotations

import dataclasses
from typing import Any

import strawberry

from models import coverage, tables
from schema.types.commune import Commune
from schema.types.enums import UnitLevel
from schema.types.place import District


@strawberry.type(description="A unit's showrooms, design centers, villages and tours in a year.")
class UnitCounts:
    showrooms: int = strawberry.field(
        description="OCOP showrooms open on the report's day: the year's last day, or today during the year "
        "(opened by then, with a known opening date, and not closed by then)."
    )
    new_showrooms: int = strawberry.field(
        description="OCOP showrooms opened during the year and still open on the report's day."
    )
    design_centers: int = strawberry.field(description="Design centers open on the report's day.")
    villages: int = strawberry.field(description="Craft villages in the unit.")
    tours: int = strawberry.field(
        description="Tours listed in the unit (for a commune: where their village, or else center, lies)."
    )
    new_showrooms_required: int | None = strawberry.field(
        description="New showrooms the year's goals require of this unit; null when no goal applies."
    )
    meets_showroom_goal: bool = strawberry.field(
        description="At least the required new showrooms opened that year (true when no goal applies)."
    )
    design_center_required: bool = strawberry.field(description="A goal requires a design center here by this year.")
    meets_design_center_goal: bool = strawberry.field(
        description="A design center operates here when one is required (true when none is)."
    )


def _counts(row: coverage.UnitCoverage) -> dict[str, Any]:
    """The UnitCounts fields of a domain row, which has them under the same names."""
    return {field.name: getattr(row, field.name) for field in dataclasses.fields(UnitCounts)}


@strawberry.type(description="One district-level unit's showrooms, design centers, villages and tours in a year.")
class DistrictCoverage(UnitCounts):
    district: District = strawberry.field(description="The unit.")

    @classmethod
    def from_domain(cls, row: coverage.UnitCoverage) -> DistrictCoverage:
        assert isinstance(row.unit, tables.District)
        return cls(district=District.from_row(row.unit), **_counts(row))


@strawberry.type(description="One 2025 commune's or ward's showrooms, design centers, villages and tours in a year.")
class CommuneCoverage(UnitCounts):
    commune: Commune = strawberry.field(description="The unit.")

    @classmethod
    def from_domain(cls, row: coverage.UnitCoverage) -> CommuneCoverage:
        assert isinstance(row.unit, tables.Commune)
        return cls(commune=Commune.from_row(row.unit), **_counts(row))


@strawberry.type(description="Coverage of the OCOP showroom and design-center plan in one year, against its goals.")
class CoverageReport:
    year: int = strawberry.field(description="The year reported on.")
    level: UnitLevel = strawberry.field(description="The generation of units the rows are counted by.")
    level_in_force: UnitLevel = strawberry.field(
        description="The level in force on the report's day (the year's last day, or today during the year): "
        "DISTRICT until 2025-06-30, COMMUNE from 2025-07-01."
    )
    districts: list[DistrictCoverage] = strawberry.field(
        description="One row per district-level unit when level is DISTRICT; empty otherwise."
    )
    communes: list[CommuneCoverage] = strawberry.field(
        description="One row per 2025 commune or ward when level is COMMUNE; empty otherwise."
    )
    new_showrooms: int = strawberry.field(description="Showrooms opened in the city during the year.")
    new_showroom_goal_min: int | None = strawberry.field(
        description="City goal for new showrooms, lower end (2023: 20)."
    )
    new_showroom_goal_max: int | None = strawberry.field(
        description="City goal for new showrooms, upper end (2023: 30)."
    )
    districts_meeting_showroom_goal: int = strawberry.field(
        description="Units of the report's level with a showroom goal that met it."
    )
    design_centers: int = strawberry.field(description="Design centers operating in the city at the end of the year.")
    districts_requiring_design_center: int = strawberry.field(
        description="Units of the report's level a goal requires a design center of."
    )
    districts_meeting_design_center_goal: int = strawberry.field(
        description="Units of the report's level required to have a design center that have one."
    )
    unplaced_centers: int = strawberry.field(
        description="Open centers the city totals count but no row does: at COMMUNE level, centers registered "
        "before the 2025 units with neither a location nor a village (updateCenter with a location places them)."
    )

    @classmethod
    def from_domain(cls, report: coverage.CoverageReport) -> CoverageReport:
        return cls(
            year=report.year,
            level=UnitLevel(report.level),
            level_in_force=UnitLevel(report.level_in_force),
            districts=[DistrictCoverage.from_domain(d) for d in report.districts],
            communes=[CommuneCoverage.from_domain(c) for c in report.communes],
            new_showrooms=report.new_showrooms,
            new_showroom_goal_min=report.new_showroom_goal_min,
            new_showroom_goal_max=report.new_showroom_goal_max,
            districts_meeting_showroom_goal=report.units_meeting_showroom_goal,
            design_centers=report.design_centers,
            districts_requiring_design_center=report.units_requiring_design_center,
            districts_meeting_design_center_goal=report.units_meeting_design_center_goal,
            unplaced_centers=report.unplaced_centers,
        )
