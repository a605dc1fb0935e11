"""Expanding a center's schedule: one start, or an RFC 5545 RRULE, in Asia/Ho_Chi_Minh wall time.

Only the parts a schedule needs are accepted (FREQ DAILY/WEEKLY/MONTHLY, INTERVAL, BYDAY,
BYMONTHDAY, COUNT, UNTIL), so a rule means the same thing here as in any calendar application.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from dateutil import rrule

from models.errors import InvalidInput
from models.timeutil import LOCAL_TZ

MAX_OCCURRENCES = 366
HORIZON = timedelta(days=731)
MAX_RULE_LENGTH = 500
FREQUENCIES = {"DAILY": rrule.DAILY, "WEEKLY": rrule.WEEKLY, "MONTHLY": rrule.MONTHLY}
WEEKDAYS = {
    "MO": rrule.MO,
    "TU": rrule.TU,
    "WE": rrule.WE,
    "TH": rrule.TH,
    "FR": rrule.FR,
    "SA": rrule.SA,
    "SU": rrule.SU,
}
_BYDAY = re.compile(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")
_UNTIL = re.compile(r"^(\d{8})(T(\d{6})(Z?))?$")


def _fail(message: str) -> InvalidInput:
    return InvalidInput(f"recurrence: {message}", "recurrence")


def _int_part(parts: dict[str, str], name: str, low: int, high: int) -> int | None:
    if name not in parts:
        return None
    try:
        value = int(parts[name])
    except ValueError:
        raise _fail(f"{name} must be a whole number") from None
    if not low <= value <= high:
        raise _fail(f"{name} must be between {low} and {high}")
    return value


def _until(text: str) -> datetime:
    """UNTIL as a naive local time: a date means the end of that day, a Z time is converted."""
    match = _UNTIL.match(text)
    if not match:
        raise _fail("UNTIL must look like 20270131 or 20270131T170000Z")
    try:
        day = datetime.strptime(match.group(1), "%Y%m%d")
        if match.group(2) is None:
            return day.replace(hour=23, minute=59, second=59)
        moment = datetime.strptime(match.group(1) + match.group(3), "%Y%m%d%H%M%S")
    except ValueError:
        raise _fail("UNTIL is not a real date") from None
    if match.group(4):
        return moment.replace(tzinfo=UTC).astimezone(LOCAL_TZ).replace(tzinfo=None)
    return moment


def parse_rule(text: str, dtstart: datetime) -> rrule.rrule:
    """An rrule over naive local times starting at `dtstart` (naive, local)."""
    if len(text) > MAX_RULE_LENGTH:
        raise _fail(f"at most {MAX_RULE_LENGTH} characters")
    body = text.strip().removeprefix("RRULE:")
    parts: dict[str, str] = {}
    for piece in body.split(";"):
        name, sep, value = piece.partition("=")
        name = name.strip().upper()
        if not sep or not value.strip():
            raise _fail(f"{piece!r} is not NAME=VALUE")
        if name in parts:
            raise _fail(f"{name} appears twice")
        parts[name] = value.strip().upper()
    unknown = set(parts) - {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL"}
    if unknown:
        raise _fail(f"unsupported part {sorted(unknown)[0]}; use FREQ, INTERVAL, BYDAY, BYMONTHDAY, COUNT, UNTIL")
    if parts.get("FREQ") not in FREQUENCIES:
        raise _fail("FREQ must be DAILY, WEEKLY or MONTHLY")
    if "COUNT" in parts and "UNTIL" in parts:
        raise _fail("give COUNT or UNTIL, not both")
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise _fail(f"give COUNT (at most {MAX_OCCURRENCES}) or UNTIL (at most two years ahead)")
    byweekday = None
    if "BYDAY" in parts:
        byweekday = []
        for token in parts["BYDAY"].split(","):
            match = _BYDAY.match(token.strip())
            if not match:
                raise _fail(f"BYDAY value {token!r} is not like MO, SA or 1SU")
            day = WEEKDAYS[match.group(2)]
            byweekday.append(day(int(match.group(1))) if match.group(1) else day)
    bymonthday = None
    if "BYMONTHDAY" in parts:
        try:
            bymonthday = [int(v) for v in parts["BYMONTHDAY"].split(",")]
        except ValueError:
            raise _fail("BYMONTHDAY must be day numbers like 1,15,-1") from None
        if any(v == 0 or not -31 <= v <= 31 for v in bymonthday):
            raise _fail("BYMONTHDAY days must be 1..31 or -31..-1")
    return rrule.rrule(
        FREQUENCIES[parts["FREQ"]],
        dtstart=dtstart,
        interval=_int_part(parts, "INTERVAL", 1, 366) or 1,
        count=_int_part(parts, "COUNT", 1, MAX_OCCURRENCES),
        until=_until(parts["UNTIL"]) if "UNTIL" in parts else None,
        byweekday=byweekday,
        bymonthday=bymonthday,
    )


def expand(starts_at: datetime, rule: str | None, except_dates: list[date], now: datetime) -> list[datetime]:
    """Every start time (aware, local) of the schedule, checked against the limits."""
    local_start = starts_at.astimezone(LOCAL_TZ).replace(tzinfo=None)
    if rule is None:
        naive = [local_start]
    else:
        naive = []
        for occurrence in parse_rule(rule, local_start):
            naive.append(occurrence)
            if len(naive) > MAX_OCCURRENCES:
                raise _fail(f"more than {MAX_OCCURRENCES} occurrences")
    skipped = set(except_dates)
    starts = [moment.replace(tzinfo=LOCAL_TZ) for moment in naive if moment.date() not in skipped]
    if not starts:
        raise InvalidInput("no session left after exceptDates", "exceptDates")
    if starts[0] <= now:
        raise InvalidInput("startsAt must be in the future", "startsAt")
    if starts[-1] > now + HORIZON:
        raise _fail("sessions may be scheduled at most two years ahead")
    return starts
