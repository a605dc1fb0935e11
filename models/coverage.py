"""Coverage of the OCOP showroom and design-center plan per unit, judged by goal rows.

A report counts either by the 30 districts of 2023 or by the 126 communes of the 2025 reform,
whichever the planner asks for, in any year: counts follow where things are, and the report
says which level was in force on its day. Goals apply to the units their rows name, by scope.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.tables import (
    Center,
    CenterPlacement,
    Commune,
    CommuneOrigin,
    CoverageGoal,
    District,
    Tour,
    Village,
    VillagePlacement,
)
from models.timeutil import to_local

MIN_YEAR, MAX_YEAR = 1900, 2200
Level = Literal["DISTRICT", "COMMUNE"]
LEVELS: tuple[Level, ...] = ("DISTRICT", "COMMUNE")


@dataclass(frozen=True, slots=True)
class UnitCoverage:
    unit: District | Commune
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

    @property
    def goal_status(self) -> Literal["MET", "NOT_MET", "NOT_REQUIRED"]:
        """Every goal that applies met, one of them not met, or none applies."""
        if self.new_showrooms_required is None and not self.design_center_required:
            return "NOT_REQUIRED"
        return "MET" if self.meets_showroom_goal and self.meets_design_center_goal else "NOT_MET"


@dataclass(frozen=True, slots=True)
class CoverageReport:
    year: int
    level: Level
    level_in_force: Level
    rows: list[UnitCoverage]
    new_showrooms: int
    design_centers: int
    new_showroom_goal_min: int | None
    new_showroom_goal_max: int | None
    # Open centers the city totals count but no row does: at commune level, a center registered
    # before the 2025 units existed with neither a location nor a village.
    unplaced_centers: int = 0

    @property
    def districts(self) -> list[UnitCoverage]:
        return self.rows if self.level == "DISTRICT" else []

    @property
    def communes(self) -> list[UnitCoverage]:
        return self.rows if self.level == "COMMUNE" else []

    @property
    def units_meeting_showroom_goal(self) -> int:
        return sum(1 for r in self.rows if r.new_showrooms_required is not None and r.meets_showroom_goal)

    @property
    def units_requiring_design_center(self) -> int:
        return sum(1 for r in self.rows if r.design_center_required)

    @property
    def units_meeting_design_center_goal(self) -> int:
        return sum(1 for r in self.rows if r.design_center_required and r.meets_design_center_goal)


class InvalidYear(ValueError):
    pass


def _requirement(goals: list[CoverageGoal], metric: str, level: Level, unit: District | Commune) -> int | None:
    minimums = [
        g.min_count or 0
        for g in goals
        if g.metric == metric and g.scope == level and g.applies_to(unit.code, unit.kind)
    ]
    return max(minimums) if minimums else None


def as_of(year: int, now: datetime) -> date:
    """The day a year's report counts by: its last day, or today while the year is running, so a
    center opening later this year counts only from its opening day."""
    today = to_local(now).date()
    return today if today.year == year else date(year, 12, 31)


@dataclass(frozen=True, slots=True)
class _OpenCenter:
    unit_id: int | None
    kind: str
    opened_on: date


async def _open_centers(db: AsyncSession, level: Level, day: date) -> list[_OpenCenter]:
    """Centers open on `day`, each with its unit at `level` (None for a center never placed)."""
    if level == "DISTRICT":
        query = select(col(Center.district_id), col(Center.kind), col(Center.opened_on))
    else:
        query = select(col(CenterPlacement.commune_id), col(Center.kind), col(Center.opened_on)).outerjoin(
            CenterPlacement, col(CenterPlacement.center_id) == col(Center.id)
        )
    open_on_day = query.where(
        col(Center.opened_on) <= day, or_(col(Center.closed_on).is_(None), col(Center.closed_on) > day)
    )
    rows = (await db.execute(open_on_day)).all()
    return [_OpenCenter(unit_id, kind, opened_on) for unit_id, kind, opened_on in rows if opened_on is not None]


async def _village_counts(db: AsyncSession, level: Level) -> dict[int, int]:
    unit = col(Village.district_id) if level == "DISTRICT" else col(VillagePlacement.commune_id)
    query = select(unit, func.count()).select_from(Village)
    if level == "COMMUNE":
        query = query.join(VillagePlacement, col(VillagePlacement.village_id) == col(Village.id))
    return {unit_id: n for unit_id, n in (await db.execute(query.group_by(unit))).all()}


async def _tour_counts(db: AsyncSession, level: Level) -> Counter[int]:
    """Listed tours per unit. A tour's district is its village's or its center's; at commune
    level it lies where its village lies if that commune was formed from the tour's district,
    else where its center lies, so the two levels never place a tour apart."""
    listed = col(Tour.archived).is_(False)
    if level == "DISTRICT":
        rows = await db.execute(
            select(col(Tour.district_id), func.count()).where(listed).group_by(col(Tour.district_id))
        )
        return Counter(dict(rows.all()))
    query = (
        select(col(Tour.district_id), col(VillagePlacement.commune_id), col(CenterPlacement.commune_id))
        .select_from(Tour)
        .outerjoin(VillagePlacement, col(VillagePlacement.village_id) == col(Tour.village_id))
        .outerjoin(CenterPlacement, col(CenterPlacement.center_id) == col(Tour.center_id))
        .where(listed)
    )
    links = await db.execute(select(col(CommuneOrigin.commune_id), col(CommuneOrigin.district_id)))
    origins = {(commune_id, district_id) for commune_id, district_id in links.all()}
    counts: Counter[int] = Counter()
    for district_id, by_village, by_center in (await db.execute(query)).all():
        in_district = [c for c in (by_village, by_center) if c is not None and (c, district_id) in origins]
        chosen = in_district[0] if in_district else by_village or by_center
        if chosen is not None:
            counts[chosen] += 1
    return counts


async def _units(db: AsyncSession, level: Level) -> Sequence[District | Commune]:
    if level == "DISTRICT":
        return list((await db.execute(select(District).order_by(col(District.code)))).scalars())
    return list((await db.execute(select(Commune).order_by(col(Commune.code)))).scalars())


async def _level_in_force(db: AsyncSession, day: date) -> Level:
    reformed = select(func.count()).select_from(Commune).where(col(Commune.valid_from) <= day)
    return "COMMUNE" if (await db.execute(reformed)).scalar_one() else "DISTRICT"


async def coverage_report(db: AsyncSession, year: int, now: datetime, level: Level = "DISTRICT") -> CoverageReport:
    """Counts per unit of `level` for `year`: centers open on the report's day (see `as_of`), that
    is opened by then and not closed by then. Centers with an unknown opening date are not
    counted: the report can only vouch for what was open."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidYear(f"year must be between {MIN_YEAR} and {MAX_YEAR}")
    year_start, day = date(year, 1, 1), as_of(year, now)
    centers = await _open_centers(db, level, day)
    villages, tours = await _village_counts(db, level), await _tour_counts(db, level)
    goals = list((await db.execute(select(CoverageGoal).where(col(CoverageGoal.year) == year))).scalars())

    showrooms = [c for c in centers if c.kind == "OCOP_SHOWROOM"]
    new_showrooms = [c for c in showrooms if c.opened_on >= year_start]
    design_centers = [c for c in centers if c.kind == "DESIGN_CENTER"]
    showroom_counts, new_counts = Counter(c.unit_id for c in showrooms), Counter(c.unit_id for c in new_showrooms)
    design_counts = Counter(c.unit_id for c in design_centers)
    rows = [
        UnitCoverage(
            unit=unit,
            showrooms=showroom_counts[unit.pk],
            new_showrooms=new_counts[unit.pk],
            design_centers=design_counts[unit.pk],
            villages=villages.get(unit.pk, 0),
            tours=tours[unit.pk],
            new_showrooms_required=_requirement(goals, "NEW_SHOWROOMS", level, unit),
            design_center_required=_requirement(goals, "DESIGN_CENTERS", level, unit) is not None,
        )
        for unit in await _units(db, level)
    ]
    city = [g for g in goals if g.metric == "NEW_SHOWROOMS" and g.scope == "CITY"]
    return CoverageReport(
        year=year,
        level=level,
        level_in_force=await _level_in_force(db, day),
        rows=rows,
        new_showrooms=len(new_showrooms),
        design_centers=len(design_centers),
        new_showroom_goal_min=city[0].min_count if city else None,
        new_showroom_goal_max=city[0].max_count if city else None,
        unplaced_centers=sum(1 for c in centers if c.unit_id is None),
    )
