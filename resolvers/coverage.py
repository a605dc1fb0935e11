"""Query field `coverage`."""

from __future__ import annotations

from typing import Annotated, cast

import strawberry

from models.coverage import InvalidYear, Level, coverage_report
from resolvers.context import Context, Info
from schema.errors import bad_input
from schema.types.coverage import CoverageReport
from schema.types.enums import UnitLevel


async def coverage(
    info: Info,
    year: Annotated[int, strawberry.argument(description="Calendar year, e.g. 2023.")],
    level: Annotated[
        UnitLevel | None,
        strawberry.argument(
            description="Count by the 2023 districts (the default, also for null) or the 2025 communes."
        ),
    ] = UnitLevel.DISTRICT,
) -> CoverageReport:
    return await coverage_in(info.context, year, level)


async def coverage_in(context: Context, year: int, level: UnitLevel | None = None) -> CoverageReport:
    level = level or UnitLevel.DISTRICT
    try:
        async with context.sessions() as db:
            report = await coverage_report(db, year, context.now, cast(Level, level.name))
    except InvalidYear as error:
        raise bad_input(str(error)) from None
    return CoverageReport.from_domain(report)
