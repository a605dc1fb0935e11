"""Query field `coverage`."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.coverage import InvalidYear, coverage_report
from resolvers.context import Context, Info
from schema.errors import bad_input
from schema.types.coverage import CoverageReport


async def coverage(
    info: Info,
    year: Annotated[int, strawberry.argument(description="Calendar year, e.g. 2023.")],
) -> CoverageReport:
    return await coverage_in(info.context, year)


async def coverage_in(context: Context, year: int) -> CoverageReport:
    try:
        async with context.sessions() as db:
            report = await coverage_report(db, year, context.now)
    except InvalidYear as error:
        raise bad_input(str(error)) from None
    return CoverageReport.from_domain(report)
