"""Reading an .ics export (Google Calendar, Outlook, Apple Calendar) into session occurrences.

Times with a TZID keep their zone, floating times are read as Asia/Ho_Chi_Minh, and recurring
events are expanded with their EXDATEs and RECURRENCE-ID overrides. Anything unusable is an
InvalidCalendar that says what is wrong; nothing is stored before the whole file is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import recurring_ical_events
from icalendar import Calendar, Component

from models.errors import InvalidCalendar
from models.timeutil import LOCAL_TZ

MAX_BYTES = 1_000_000
MAX_OCCURRENCES = 2_000
HORIZON = timedelta(days=731)


@dataclass(frozen=True, slots=True)
class Occurrence:
    uid: str
    recurrence_id: str  # UTC ISO start of the occurrence in its series; "" for a single event
    starts_at: datetime
    ends_at: datetime
    cancelled: bool

    @property
    def key(self) -> tuple[str, str]:
        return self.uid, self.recurrence_id


def _fail(message: str) -> InvalidCalendar:
    return InvalidCalendar(message, "ics")


def _moment(value: object, what: str, uid: str) -> datetime:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ)).astimezone(UTC)
    if isinstance(value, date):
        raise _fail(f"event {uid!r} is an all-day event; a session needs a start time ({what})")
    raise _fail(f"event {uid!r} has no usable {what}")


def _parse(ics: str) -> Calendar:
    if len(ics.encode("utf-8")) > MAX_BYTES:
        raise _fail("the file is larger than 1 MB")
    try:
        calendar = Calendar.from_ical(ics)
    except (ValueError, KeyError, IndexError) as error:
        raise _fail(f"not a valid iCalendar file: {error}") from None
    if not isinstance(calendar, Calendar) or calendar.name != "VCALENDAR":
        raise _fail("the file does not start with BEGIN:VCALENDAR")
    events = calendar.walk("VEVENT")
    if not events:
        raise _fail("the file has no VEVENT")
    for event in events:
        if not event.get("UID"):
            raise _fail(f"an event without UID (summary {str(event.get('SUMMARY', ''))!r})")
        uid = str(event["UID"])
        if event.get("DTSTART") is None:
            raise _fail(f"event {uid!r} has no DTSTART")
        if event.get("DTEND") is not None:
            starts = _moment(event.decoded("DTSTART"), "DTSTART", uid)
            if _moment(event.decoded("DTEND"), "DTEND", uid) <= starts:
                raise _fail(f"event {uid!r} ends before it starts")
    return calendar


def _occurrence(event: Component, recurring_uids: set[str]) -> Occurrence:
    uid = str(event["UID"])
    starts = _moment(event.decoded("DTSTART"), "DTSTART", uid)
    if event.get("DTEND") is not None:
        ends = _moment(event.decoded("DTEND"), "DTEND", uid)
    else:
        ends = starts + (event.decoded("DURATION") if event.get("DURATION") is not None else timedelta(hours=1))
    if ends <= starts:
        raise _fail(f"event {uid!r} ends before it starts")
    # The expander marks every occurrence with a RECURRENCE-ID, single events included (for some
    # time forms), so only a UID that is really a series keys its occurrences by it.
    recurrence_id = ""
    if uid in recurring_uids:
        rid = event.get("RECURRENCE-ID")
        recurrence_id = (_moment(event.decoded("RECURRENCE-ID"), "RECURRENCE-ID", uid) if rid else starts).isoformat()
    return Occurrence(uid, recurrence_id, starts, ends, str(event.get("STATUS", "")).upper() == "CANCELLED")


def read_occurrences(ics: str, now: datetime) -> list[Occurrence]:
    """Occurrences starting after `now` and at most two years ahead, soonest first."""
    calendar = _parse(ics)
    recurring_uids = {str(e["UID"]) for e in calendar.walk("VEVENT") if e.get("RRULE") or e.get("RECURRENCE-ID")}
    horizon = now + HORIZON
    found: dict[tuple[str, str], Occurrence] = {}
    try:
        query = recurring_ical_events.of(calendar, keep_recurrence_attributes=False)
        for event in query.after(now):
            occurrence = _occurrence(event, recurring_uids)
            if occurrence.starts_at > horizon:
                break
            if occurrence.starts_at <= now:
                continue
            found[occurrence.key] = occurrence
            if len(found) > MAX_OCCURRENCES:
                raise _fail(f"more than {MAX_OCCURRENCES} occurrences in the next two years")
    except InvalidCalendar:
        raise
    except Exception as error:  # the expander's many parse errors all mean the same to the center
        raise _fail(f"the events cannot be expanded: {error}") from None
    return sorted(found.values(), key=lambda o: (o.starts_at, o.key))
