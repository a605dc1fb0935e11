"""The plan's coverage per district, for city planners."""

from __future__ import annotations

import strawberry

from models import coverage
from schema.types.place import District


@strawberry.type(description="One district-level unit's showrooms, design centers, villages and tours in a year.")
class DistrictCoverage:
    district: District = strawberry.field(description="The unit.")
    showrooms: int = strawberry.field(
        description="OCOP showrooms open on the report's day: the year's last day, or today during the year "
        "(opened by then, with a known opening date, and not closed by then)."
    )
    new_showrooms: int = strawberry.field(
        description="OCOP showrooms opened during the year and still open on the report's day."
    )
    design_centers: int = strawberry.field(description="Design centers open on the report's day.")
    villages: int = strawberry.field(description="Craft villages in the unit.")
    tours: int = strawberry.field(description="Tours listed in the unit.")
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

    @classmethod
    def from_domain(cls, row: coverage.DistrictCoverage) -> DistrictCoverage:
        return cls(
            district=District.from_row(row.district),
            showrooms=row.showrooms,
            new_showrooms=row.new_showrooms,
            design_centers=row.design_centers,
            villages=row.villages,
            tours=row.tours,
            new_showrooms_required=row.new_showrooms_required,
            meets_showroom_goal=row.meets_showroom_goal,
            design_center_required=row.design_center_required,
            meets_design_center_goal=row.meets_design_center_goal,
        )


@strawberry.type(description="Coverage of the OCOP showroom and design-center plan in one year, against its goals.")
class CoverageReport:
    year: int = strawberry.field(description="The year reported on.")
    districts: list[DistrictCoverage] = strawberry.field(description="One row per district-level unit.")
    new_showrooms: int = strawberry.field(description="Showrooms opened in the city during the year.")
    new_showroom_goal_min: int | None = strawberry.field(
        description="City goal for new showrooms, lower end (2023: 20)."
    )
    new_showroom_goal_max: int | None = strawberry.field(
        description="City goal for new showrooms, upper end (2023: 30)."
    )
    districts_meeting_showroom_goal: int = strawberry.field(description="Units with a showroom goal that met it.")
    design_centers: int = strawberry.field(description="Design centers operating in the city at the end of the year.")
    districts_requiring_design_center: int = strawberry.field(description="Units a goal requires a design center of.")
    districts_meeting_design_center_goal: int = strawberry.field(
        description="Units required to have a design center that have one."
    )

    @classmethod
    def from_domain(cls, report: coverage.CoverageReport) -> CoverageReport:
        return cls(
            year=report.year,
            districts=[DistrictCoverage.from_domain(d) for d in report.districts],
            new_showrooms=report.new_showrooms,
            new_showroom_goal_min=report.new_showroom_goal_min,
            new_showroom_goal_max=report.new_showroom_goal_max,
            districts_meeting_showroom_goal=report.districts_meeting_showroom_goal,
            design_centers=report.design_centers,
            districts_requiring_design_center=report.districts_requiring_design_center,
            districts_meeting_design_center_goal=report.districts_meeting_design_center_goal,
        )
