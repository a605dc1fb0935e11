"""The year and level a coverage request asks for, and the report it gets."""

from __future__ import annotations

from datetime import datetime

from starlette.datastructures import QueryParams
from starlette.requests import Request

from models.coverage import LEVELS, MAX_YEAR, MIN_YEAR, CoverageReport, InvalidYear, Level, coverage_report
from models.timeutil import to_local

DEFAULT_LEVEL: Level = "DISTRICT"


class BadQuery(ValueError):
    pass


def read_year(params: QueryParams, now: datetime) -> int:
    """The `year` asked for; by default the current year in Hanoi. An empty value counts as none."""
    raw = params.get("year", "")
    if not raw:
        return to_local(now).year
    if not (raw.isascii() and raw.isdigit()):
        raise BadQuery("year must be a whole number such as 2023")
    if len(raw) > 4:  # coverage_report checks the range; this keeps int() off a 5,000-digit string
        raise BadQuery(f"year must be between {MIN_YEAR} and {MAX_YEAR}")
    return int(raw)


def read_level(params: QueryParams) -> Level:
    raw = params.get("level", "") or DEFAULT_LEVEL
    for level in LEVELS:
        if raw == level:
            return level
    raise BadQuery(f"level must be {' or '.join(LEVELS)}")


async def requested_report(request: Request) -> tuple[CoverageReport, datetime]:
    """The report for the request's year and level, and the moment it was made at; BadQuery if
    the parameters will not do."""
    state = request.app.state
    now = state.clock()
    year, level = read_year(request.query_params, now), read_level(request.query_params)
    try:
        async with state.sessions() as db:
            return await coverage_report(db, year, now, level), now
    except InvalidYear as error:
        raise BadQuery(str(error)) from None
