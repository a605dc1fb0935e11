"""Coverage of the OCOP showroom and design-center plan per district, judged by goal rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.tables import Center, CoverageGoal, District, Tour, Village
from models.timeutil import to_local

MIN_YEAR, MAX_YEAR = 1900, 2200


@dataclass(frozen=True, slots=True)
class DistrictCoverage:
    district: District
    showrooms: int
    new_showrooms: int
    design_centers: int
    villages: int
    tours: int
    new_showrooms_required: int | None
    design_center_required: bool

    @property
    def meets_showroom_goal(self) -> bool:
        return self.new_showrooms_required is None or self.new_showrooms >= self.new_showrooms_required

    @property
    def meets_design_center_goal(self) -> bool:
        return not self.design_center_required or self.design_centers >= 1


@dataclass(frozen=True, slots=True)
class CoverageReport:
    year: int
    districts: list[DistrictCoverage]
    new_showroom_goal_min: int | None
    new_showroom_goal_max: int | None

    @property
    def new_showrooms(self) -> int:
        return sum(d.new_showrooms for d in self.districts)

    @property
    def design_centers(self) -> int:
        return sum(d.design_centers for d in self.districts)

    @property
    def districts_meeting_showroom_goal(self) -> int:
        return sum(1 for d in self.districts if d.new_showrooms_required is not None and d.meets_showroom_goal)

    @property
    def districts_requiring_design_center(self) -> int:
        return sum(1 for d in self.districts if d.design_center_required)

    @property
    def districts_meeting_design_center_goal(self) -> int:
        return sum(1 for d in self.districts if d.design_center_required and d.meets_design_center_goal)


class InvalidYear(ValueError):
    pass


def _district_requirement(goals: list[CoverageGoal], metric: str, district: District) -> int | None:
    minimums = [
        g.min_count or 0
        for g in goals
        if g.metric == metric and g.scope == "DISTRICT" and g.applies_to(district.code, district.kind)
    ]
    return max(minimums) if minimums else None


def as_of(year: int, now: datetime) -> date:
    """The day a year's report counts by: its last day, or today while the year is running, so a
    center opening later this year counts only from its opening day."""
    today = to_local(now).date()
    return today if today.year == year else date(year, 12, 31)


async def coverage_report(db: AsyncSession, year: int, now: datetime) -> CoverageReport:
    """Counts per district for `year`: centers open on the report's day (see `as_of`), that is
    opened by then and not closed by then. Centers with an unknown opening date are not
    counted: the report can only vouch for what was open."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidYear(f"year must be between {MIN_YEAR} and {MAX_YEAR}")
    year_start, day = date(year, 1, 1), as_of(year, now)
    districts = list((await db.execute(select(District).order_by(col(District.code)))).scalars())
    centers = (
        await db.execute(
            select(col(Center.district_id), col(Center.kind), col(Center.opened_on)).where(
                col(Center.opened_on) <= day,
                or_(col(Center.closed_on).is_(None), col(Center.closed_on) > day),
            )
        )
    ).all()
    villages = dict(
        (await db.execute(select(col(Village.district_id), func.count()).group_by(col(Village.district_id)))).all()
    )
    listed = select(col(Tour.district_id), func.count()).where(col(Tour.archived).is_(False))
    tours = dict((await db.execute(listed.group_by(col(Tour.district_id)))).all())
    goals = list((await db.execute(select(CoverageGoal).where(col(CoverageGoal.year) == year))).scalars())

    showrooms = Counter(c.district_id for c in centers if c.kind == "OCOP_SHOWROOM")
    new_showrooms = Counter(c.district_id for c in centers if c.kind == "OCOP_SHOWROOM" and c.opened_on >= year_start)
    design_centers = Counter(c.district_id for c in centers if c.kind == "DESIGN_CENTER")
    rows = [
        DistrictCoverage(
            district=d,
            showrooms=showrooms[d.pk],
            new_showrooms=new_showrooms[d.pk],
            design_centers=design_centers[d.pk],
            villages=villages.get(d.pk, 0),
            tours=tours.get(d.pk, 0),
            new_showrooms_required=_district_requirement(goals, "NEW_SHOWROOMS", d),
            design_center_required=_district_requirement(goals, "DESIGN_CENTERS", d) is not None,
        )
        for d in districts
    ]
    city = [g for g in goals if g.metric == "NEW_SHOWROOMS" and g.scope == "CITY"]
    return CoverageReport(
        year=year,
        districts=rows,
        new_showroom_goal_min=city[0].min_count if city else None,
        new_showroom_goal_max=city[0].max_count if city else None,
    )
